// SHA-256 of bytes as lowercase hex (OpenSSL's EVP API; the optimizer only,
// the runtime never links OpenSSL). Names the files of an offline bundle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::latency {

std::string sha256_hex(const uint8_t* data, size_t size);
inline std::string sha256_hex(const std::vector<uint8_t>& bytes) { return sha256_hex(bytes.data(), bytes.size()); }
inline std::string sha256_hex(const std::string& text) {
  return sha256_hex(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

}  // namespace bespoke::latency
