#include "data/idx_reader.h"

#include <cstdio>

#include "data/compressed_file.h"
#include "data/data_error.h"

namespace bespoke::data {

namespace {

constexpr uint8_t kUnsignedByte = 0x08;
constexpr uint64_t kMaxElements = uint64_t{1} << 31;

const char* element_type_name(uint8_t type) {
  switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return nullptr;
  }
}

uint32_t big_endian_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& name, int expected_rank) {
  const std::string where = "IDX file '" + name + "': ";
  if (bytes.size() < 4) throw DataError(where + "truncated: " + std::to_string(bytes.size()) + " bytes, no header");
  if (bytes[0] != 0 || bytes[1] != 0) {
    throw DataError(where + "bad magic number (first two bytes must be 0; is this an IDX file?)");
  }
  const uint8_t type = bytes[2];
  const int rank = bytes[3];
  if (type != kUnsignedByte) {
    const char* type_name = element_type_name(type);
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned>(type));
    throw DataError(where + "element type " +
                    (type_name ? std::string(type_name) + " (" + code + ")" : std::string(code)) +
                    " is not supported (only unsigned bytes)");
  }
  if (rank == 0) throw DataError(where + "rank 0 (no dimensions)");
  if (expected_rank >= 0 && rank != expected_rank) {
    throw DataError(where + "rank " + std::to_string(rank) + ", expected " + std::to_string(expected_rank));
  }
  const size_t header = 4 + 4 * static_cast<size_t>(rank);
  if (bytes.size() < header) {
    throw DataError(where + "truncated header: " + std::to_string(bytes.size()) + " bytes, the " +
                    std::to_string(rank) + " dimensions need " + std::to_string(header));
  }
  IdxArray array;
  uint64_t elements = 1;
  for (int d = 0; d < rank; ++d) {
    const uint32_t dim = big_endian_u32(bytes.data() + 4 + 4 * d);
    if (dim == 0) throw DataError(where + "dimension " + std::to_string(d) + " is 0");
    elements *= dim;
    if (elements > kMaxElements) throw DataError(where + "more than " + std::to_string(kMaxElements) + " elements");
    array.dims.push_back(dim);
  }
  const uint64_t available = bytes.size() - header;
  if (available < elements) {
    throw DataError(where + "truncated: the header promises " + std::to_string(elements) +
                    " bytes of data, the file has " + std::to_string(available));
  }
  if (available > elements) {
    throw DataError(where + std::to_string(available - elements) + " trailing bytes after the " +
                    std::to_string(elements) + " promised by the header");
  }
  array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
  return array;
}

IdxArray read_idx(const std::string& path, int expected_rank) {
  return parse_idx(read_maybe_gzipped(path), path, expected_rank);
}

}  // namespace bespoke::data
