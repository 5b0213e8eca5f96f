// The IDX format of (Fashion-)MNIST: a 4-byte magic (0, 0, element type,
// rank), rank big-endian uint32 dimensions, then the elements row-major.
// Only unsigned bytes (type 0x08) are supported, which is what the image and
// label files hold. Files may be gzip-compressed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::data {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;  // product(dims) bytes
};

// Parses an IDX array from `bytes`; `name` is used in messages. Throws
// DataError on a bad magic, an unsupported element type, a rank other than
// `expected_rank` (when >= 0), zero dimensions, truncated or trailing data.
IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& name, int expected_rank = -1);
IdxArray read_idx(const std::string& path, int expected_rank = -1);

}  // namespace bespoke::data
