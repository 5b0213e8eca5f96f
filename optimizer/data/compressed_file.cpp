#include "data/compressed_file.h"

#include <zlib.h>

#include <memory>

#include "data/data_error.h"

namespace bespoke::data {

namespace {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

std::string zlib_message(gzFile f) {
  int code = Z_OK;
  const char* message = gzerror(f, &code);
  return code == Z_OK ? std::string() : std::string(message ? message : "unknown zlib error");
}

}  // namespace

std::vector<uint8_t> read_maybe_gzipped(const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw DataError("'" + path + "': cannot open");
  std::vector<uint8_t> bytes;
  constexpr unsigned kChunk = 1u << 20;
  for (;;) {
    const size_t old_size = bytes.size();
    if (old_size > max_bytes) {
      throw DataError("'" + path + "': decompresses to more than " + std::to_string(max_bytes) + " bytes");
    }
    bytes.resize(old_size + kChunk);
    const int got = gzread(file.get(), bytes.data() + old_size, kChunk);
    if (got < 0) throw DataError("'" + path + "': corrupt gzip data: " + zlib_message(file.get()));
    bytes.resize(old_size + static_cast<size_t>(got));
    if (got == 0) break;
  }
  // A stream that ends early reads as end of file with an error pending.
  const std::string pending = zlib_message(file.get());
  if (!pending.empty()) throw DataError("'" + path + "': truncated or corrupt gzip data: " + pending);
  if (bytes.size() > max_bytes) {
    throw DataError("'" + path + "': decompresses to more than " + std::to_string(max_bytes) + " bytes");
  }
  return bytes;
}

}  // namespace bespoke::data
