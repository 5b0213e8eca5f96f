// SHA-256 of model files: the report names each student by the digest of
// the exact bytes that were accepted on the device, so that what gets
// deployed can be checked against what was accepted (OpenSSL's EVP API).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::pipeline {

// Lower-case hex, 64 characters.
std::string sha256_hex(const std::vector<uint8_t>& bytes);

}  // namespace bespoke::pipeline
