#include "harness/npy.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

namespace bespoke::e2e {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error("npy file '" + path + "': " + what);
}

// Value of `key` in the header dict, e.g. "'<f4'" or "(1, 3, 224, 224)".
std::string header_field(const std::string& header, const std::string& key, const std::string& path) {
  const std::string quoted = "'" + key + "'";
  size_t at = header.find(quoted);
  if (at == std::string::npos) fail(path, "header has no " + quoted);
  at = header.find(':', at + quoted.size());
  if (at == std::string::npos) fail(path, "malformed header field " + quoted);
  ++at;
  while (at < header.size() && header[at] == ' ') ++at;
  size_t end = at;
  if (header[at] == '(') {
    end = header.find(')', at);
    if (end == std::string::npos) fail(path, "unterminated shape tuple");
    return header.substr(at, end - at + 1);
  }
  if (header[at] == '\'') {
    end = header.find('\'', at + 1);
    if (end == std::string::npos) fail(path, "unterminated string in header");
    return header.substr(at, end - at + 1);
  }
  while (end < header.size() && header[end] != ',' && header[end] != '}') ++end;
  return header.substr(at, end - at);
}

std::vector<int64_t> parse_shape(const std::string& tuple, const std::string& path) {
  std::vector<int64_t> shape;
  size_t i = 1;  // past '('
  while (i < tuple.size()) {
    while (i < tuple.size() && (tuple[i] == ' ' || tuple[i] == ',')) ++i;
    if (i >= tuple.size() || tuple[i] == ')') break;
    size_t used = 0;
    long long d = 0;
    try {
      d = std::stoll(tuple.substr(i), &used);
    } catch (const std::exception&) {
      fail(path, "bad shape " + tuple);
    }
    if (d < 0) fail(path, "negative dimension in " + tuple);
    shape.push_back(d);
    i += used;
  }
  return shape;
}

}  // namespace

FloatTensor read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open");
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) fail(path, "not an .npy file");
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(path, "truncated header");
    for (int k = 3; k >= 0; --k) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + k]);
    header_start = 12;
  } else {
    fail(path, "unsupported format version " + std::to_string(major));
  }
  if (header_start + header_len > bytes.size()) fail(path, "truncated header");
  const std::string header(bytes.data() + header_start, header_len);
  const std::string descr = header_field(header, "descr", path);
  if (header_field(header, "fortran_order", path).find("False") == std::string::npos)
    fail(path, "Fortran-ordered arrays are not supported");
  FloatTensor t;
  t.shape = parse_shape(header_field(header, "shape", path), path);
  const size_t count = static_cast<size_t>(element_count(t.shape));
  const char* data = bytes.data() + header_start + header_len;
  const size_t available = bytes.size() - header_start - header_len;
  t.values.resize(count);
  if (descr == "'<f4'") {
    if (available < count * 4) fail(path, "truncated data");
    std::memcpy(t.values.data(), data, count * 4);
  } else if (descr == "'<f8'") {
    if (available < count * 8) fail(path, "truncated data");
    for (size_t i = 0; i < count; ++i) {
      double v;
      std::memcpy(&v, data + i * 8, 8);
      t.values[i] = static_cast<float>(v);
    }
  } else {
    fail(path, "unsupported dtype " + descr + " (expected '<f4' or '<f8')");
  }
  return t;
}

void write_npy(const std::string& path, const FloatTensor& tensor) {
  // Python tuple syntax: "()", "(3,)", "(1, 3)".
  std::string shape = "(";
  for (size_t i = 0; i < tensor.shape.size(); ++i) {
    if (i) shape += ", ";
    shape += std::to_string(tensor.shape[i]);
  }
  shape += tensor.shape.size() == 1 ? ",)" : ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces so that magic(6) + version(2) + len(2) + header + '\n' is a multiple of 64.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) fail(path, "cannot create");
  const char preamble[8] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.write(preamble, 8);
  const unsigned char len[2] = {static_cast<unsigned char>(header.size() & 0xff),
                                static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<const char*>(len), 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(tensor.values.data()),
            static_cast<std::streamsize>(tensor.values.size() * sizeof(float)));
  if (!out) fail(path, "write failed");
}

}  // namespace bespoke::e2e
