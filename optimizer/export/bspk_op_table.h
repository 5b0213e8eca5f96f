// The one-to-one map between canonical IR ops (ir/op_set.h) and .bspk opcodes,
// with each op's options table and arity. Shared by the .bspk writer and
// reader (and the ONNX writer's arity checks) so the three agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "schema/bespoke_generated.h"

namespace bespoke::exporter {

// BSP_RUNTIME_VERSION of the first runtime that executes every v1 opcode
// (0.1.0: CONV_2D .. BATCH_NORM), and of the one that added SQRT and
// BATCH_MATMUL (0.2.0).
inline constexpr uint32_t kRuntimeVersionV1 = 100;
inline constexpr uint32_t kRuntimeVersionV2 = 200;
inline constexpr uint32_t kFormatVersion = 1;

struct BspkOpInfo {
  const char* name;  // canonical IR op name
  fb::OpCode code;
  fb::OperatorOptions options;  // NONE: the op has no options table; otherwise the table is required
  int min_inputs;
  int max_inputs;  // -1: unbounded (Concat)
  int min_outputs;
  int max_outputs;                 // -1: unbounded (Split)
  uint32_t since_runtime_version;  // BSP_RUNTIME_VERSION that introduced the opcode
};

// nullptr if `op` is not canonical / `code` is unknown to this build.
const BspkOpInfo* find_op(const std::string& op);
const BspkOpInfo* find_op(fb::OpCode code);

// Checks input/output counts; inputs at positions >= min_inputs may be -1
// (absent optional), all others must be >= 0. Returns "" or the problem.
std::string check_arity(const BspkOpInfo& info, const std::vector<int>& inputs, const std::vector<int>& outputs);

// "1.2.3" for a BSP_RUNTIME_VERSION value (major*10000 + minor*100 + patch).
std::string runtime_version_string(uint32_t v);

}  // namespace bespoke::exporter
