#include "tensor_io/tensor_file.h"

#include <cstdio>
#include <memory>

#include "tensor_io/npy.h"
#include "tensor_io/tensor_proto.h"

namespace bespoke::tools {
namespace {

bool has_suffix(const std::string& s, const char* suffix) {
  const std::string x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

rt::Status read_file(const std::string& path, std::vector<uint8_t>* bytes) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return rt::IoError("cannot open '" + path + "'");
  bytes->clear();
  uint8_t buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f.get())) > 0) {
    if (bytes->size() + n > kMaxTensorBytes + (1u << 20)) return rt::IoError("'" + path + "' is too large");
    bytes->insert(bytes->end(), buffer, buffer + n);
  }
  if (std::ferror(f.get())) return rt::IoError("cannot read '" + path + "' (is it a directory?)");
  return rt::Status::Ok();
}

rt::Status unknown_extension(const std::string& path) {
  return rt::InvalidArgument("'" + path + "': unknown tensor file type; use .npy or .pb");
}

}  // namespace

rt::Status read_tensor_file(const std::string& path, HostTensor* tensor) {
  const bool npy = has_suffix(path, ".npy");
  if (!npy && !has_suffix(path, ".pb")) return unknown_extension(path);
  std::vector<uint8_t> bytes;
  BSP_RETURN_IF_ERROR(read_file(path, &bytes));
  const rt::Status s = npy ? parse_npy(bytes, tensor) : parse_tensor_proto(bytes, tensor);
  if (!s.ok()) return rt::Status(s.code(), "'" + path + "': " + s.message());
  return rt::Status::Ok();
}

rt::Status write_tensor_file(const std::string& path, const HostTensor& tensor) {
  const bool npy = has_suffix(path, ".npy");
  if (!npy && !has_suffix(path, ".pb")) return unknown_extension(path);
  const std::vector<uint8_t> bytes = npy ? serialize_npy(tensor) : serialize_tensor_proto(tensor);
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "wb"));
  if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size() || std::fflush(f.get()) != 0) {
    return rt::IoError("cannot write '" + path + "'");
  }
  return rt::Status::Ok();
}

}  // namespace bespoke::tools
