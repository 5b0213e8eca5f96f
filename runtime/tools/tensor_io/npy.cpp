#include "tensor_io/npy.h"

#include <cctype>
#include <cstring>

#include "tensor_io/tensor_file.h"

namespace bespoke::tools {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kMaxDims = 32;

rt::Status npy_error(const std::string& what) { return rt::InvalidArgument("invalid .npy file: " + what); }

// Position just after `'key':` (single or double quotes) in a header dict.
size_t find_value(const std::string& header, const char* key) {
  for (const char quote : {'\'', '"'}) {
    const std::string needle = quote + std::string(key) + quote;
    size_t at = header.find(needle);
    if (at == std::string::npos) continue;
    at += needle.size();
    while (at < header.size() && std::isspace(static_cast<unsigned char>(header[at]))) ++at;
    if (at < header.size() && header[at] == ':') return at + 1;
  }
  return std::string::npos;
}

void skip_spaces(const std::string& s, size_t* at) {
  while (*at < s.size() && std::isspace(static_cast<unsigned char>(s[*at]))) ++*at;
}

rt::Status parse_descr(const std::string& header) {
  size_t at = find_value(header, "descr");
  if (at == std::string::npos) return npy_error("the header has no 'descr'");
  skip_spaces(header, &at);
  if (at >= header.size() || (header[at] != '\'' && header[at] != '"')) return npy_error("'descr' is not a string");
  const size_t end = header.find(header[at], at + 1);
  if (end == std::string::npos) return npy_error("unterminated 'descr'");
  const std::string descr = header.substr(at + 1, end - at - 1);
  if (descr != "<f4" && descr != "=f4") {
    return rt::Unsupported("unsupported .npy dtype '" + descr + "'; only little-endian float32 ('<f4') is supported");
  }
  return rt::Status::Ok();
}

rt::Status parse_fortran_order(const std::string& header) {
  size_t at = find_value(header, "fortran_order");
  if (at == std::string::npos) return npy_error("the header has no 'fortran_order'");
  skip_spaces(header, &at);
  if (header.compare(at, 5, "False") == 0) return rt::Status::Ok();
  if (header.compare(at, 4, "True") == 0) return rt::Unsupported("Fortran-ordered .npy arrays are not supported");
  return npy_error("'fortran_order' is neither True nor False");
}

rt::Status parse_shape(const std::string& header, std::vector<int64_t>* dims) {
  size_t at = find_value(header, "shape");
  if (at == std::string::npos) return npy_error("the header has no 'shape'");
  skip_spaces(header, &at);
  if (at >= header.size() || header[at] != '(') return npy_error("'shape' is not a tuple");
  ++at;
  dims->clear();
  for (;;) {
    skip_spaces(header, &at);
    if (at >= header.size()) return npy_error("unterminated 'shape'");
    if (header[at] == ')') return rt::Status::Ok();
    if (!std::isdigit(static_cast<unsigned char>(header[at]))) return npy_error("'shape' holds a non-integer");
    int64_t value = 0;
    while (at < header.size() && std::isdigit(static_cast<unsigned char>(header[at]))) {
      if (value > (INT64_MAX - 9) / 10) return npy_error("a dimension in 'shape' is too large");
      value = value * 10 + (header[at++] - '0');
    }
    if (at < header.size() && header[at] == 'L') ++at;  // Python 2 long
    if (dims->size() == kMaxDims) return npy_error("'shape' has more than 32 dimensions");
    dims->push_back(value);
    skip_spaces(header, &at);
    if (at < header.size() && header[at] == ',') ++at;
  }
}

uint32_t read_le(const uint8_t* p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

rt::Status parse_npy(const std::vector<uint8_t>& bytes, HostTensor* tensor) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0) {
    return npy_error("the NumPy magic string is missing");
  }
  const uint8_t major = bytes[6];
  size_t header_start = 10;
  size_t header_size = 0;
  if (major == 1) {
    header_size = read_le(&bytes[8], 2);
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return npy_error("truncated header");
    header_size = read_le(&bytes[8], 4);
    header_start = 12;
  } else {
    return rt::Unsupported(".npy format version " + std::to_string(major) + " is not supported");
  }
  if (header_size > bytes.size() - header_start) return npy_error("truncated header");
  const std::string header(reinterpret_cast<const char*>(&bytes[header_start]), header_size);
  BSP_RETURN_IF_ERROR(parse_descr(header));
  BSP_RETURN_IF_ERROR(parse_fortran_order(header));
  HostTensor t;
  BSP_RETURN_IF_ERROR(parse_shape(header, &t.dims));
  uint64_t count = 0;
  if (!checked_element_count(t.dims, kMaxTensorBytes / sizeof(float), &count)) {
    return npy_error("shape " + dims_string(t.dims) + " is too large");
  }
  const size_t data_start = header_start + header_size;
  const size_t available = bytes.size() - data_start;
  if (available != count * sizeof(float)) {
    return npy_error("holds " + std::to_string(available) + " data bytes; shape " + dims_string(t.dims) + " needs " +
                     std::to_string(count * sizeof(float)));
  }
  t.data.resize(static_cast<size_t>(count));
  if (count > 0) std::memcpy(t.data.data(), &bytes[data_start], available);
  *tensor = std::move(t);
  return rt::Status::Ok();
}

std::vector<uint8_t> serialize_npy(const HostTensor& tensor) {
  std::string shape = "(";
  for (size_t i = 0; i < tensor.dims.size(); ++i) shape += (i > 0 ? ", " : "") + std::to_string(tensor.dims[i]);
  if (tensor.dims.size() == 1) shape += ",";
  shape += ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  // Version 1 unless the header does not fit a 16-bit length; data starts 64-aligned.
  const bool v2 = header.size() + 1 + 10 > 65535;
  const size_t prefix = v2 ? 12 : 10;
  const size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';
  std::vector<uint8_t> out(kMagic, kMagic + kMagicSize);
  out.push_back(v2 ? 2 : 1);
  out.push_back(0);
  const auto size = static_cast<uint32_t>(header.size());
  for (size_t i = 0; i < (v2 ? 4u : 2u); ++i) out.push_back(static_cast<uint8_t>(size >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  const auto* data = reinterpret_cast<const uint8_t*>(tensor.data.data());
  out.insert(out.end(), data, data + tensor.data.size() * sizeof(float));
  return out;
}

}  // namespace bespoke::tools
