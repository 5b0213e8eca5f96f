// What bespoke-run and bespoke-bench share: exit codes, one-line error
// reporting, backend names, seeded random inputs, output summaries.
//
// Exit codes: 0 success; 2 bad command line; 3 tensor file error; 10 + the
// bsp_status of a failed runtime call (e.g. 13 = invalid model). All < 128.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bespoke/bespoke.hpp"
#include "tensor_io/host_tensor.h"

namespace bespoke::tools {

inline constexpr int kExitUsage = 2;
inline constexpr int kExitTensorFile = 3;
inline int exit_code(bsp_status status) { return 10 + static_cast<int>(status); }

// Prints "<tool>: <message>" (newlines flattened) on stderr; returns `code`.
int report_error(const char* tool, const std::string& message, int code);

// "auto", "reference", "xnnpack", "onednn".
const std::vector<std::string>& backend_names();
bsp_backend parse_backend(const std::string& name);
// What actually runs: the requested backend and, in parentheses, every
// backend running operators, e.g. "auto (onednn 15, xnnpack 9 operators)".
std::string describe_backends(const std::string& requested, const std::vector<BackendUsage>& usage);

// Uniform values in [-1, 1) from `seed`, one tensor per model input.
HostTensor random_input(const TensorInfo& info, uint32_t seed);

struct Summary {
  float min = 0, max = 0;
  double mean = 0;
  size_t non_finite = 0;
};
Summary summarize(const std::vector<float>& values);
// Indices of the k largest values, largest first.
std::vector<size_t> top_k(const std::vector<float>& values, size_t k);

}  // namespace bespoke::tools
