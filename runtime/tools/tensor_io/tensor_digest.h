// A short digest of a tensor's dims and float32 values (FNV-1a, 64 bits),
// "fnv1a64:<16 hex digits>". bespoke-bench writes it beside each output of an
// acceptance report (docs/profile-bundle.md) and the optimizer checks it, so
// that a report whose values were edited or torn in a copy is refused. It is
// an integrity check, not a signature: the runtime's tools have no
// cryptographic hash (the optimizer's SHA-256 is OpenSSL's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::tools {

std::string tensor_digest(const std::vector<int64_t>& dims, const std::vector<float>& data);

}  // namespace bespoke::tools
