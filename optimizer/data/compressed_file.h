// Whole-file reads of possibly gzip-compressed files (zlib reads plain files
// transparently), with a size cap so that a hostile file cannot exhaust memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::data {

// The decompressed bytes of `path`. Throws DataError naming the file when it
// cannot be opened, the gzip stream is corrupt or truncated, or it would
// decompress to more than `max_bytes`.
std::vector<uint8_t> read_maybe_gzipped(const std::string& path, uint64_t max_bytes = uint64_t{1} << 31);

}  // namespace bespoke::data
