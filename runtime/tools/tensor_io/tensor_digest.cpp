#include "tensor_io/tensor_digest.h"

#include <cstdio>
#include <cstring>

namespace bespoke::tools {

namespace {

constexpr uint64_t kOffset = 14695981039346656037ull;
constexpr uint64_t kPrime = 1099511628211ull;

// Little-endian bytes of `value`, whatever the host's byte order.
uint64_t mix(uint64_t hash, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    hash ^= (value >> (8 * i)) & 0xffu;
    hash *= kPrime;
  }
  return hash;
}

}  // namespace

std::string tensor_digest(const std::vector<int64_t>& dims, const std::vector<float>& data) {
  uint64_t hash = mix(kOffset, dims.size(), 8);
  for (const int64_t d : dims) hash = mix(hash, static_cast<uint64_t>(d), 8);
  for (const float f : data) {
    uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    hash = mix(hash, bits, 4);
  }
  char text[32];
  std::snprintf(text, sizeof text, "fnv1a64:%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace bespoke::tools
