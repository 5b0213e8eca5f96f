// VerifyContext: the state verify_model() threads through its stages
// (tensors -> operators -> graph I/O -> blocks), and the helpers every stage
// uses to name what is wrong and where. Internal to the verifier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_view.h"
#include "core/status.h"
#include "core/verifier.h"

namespace bespoke::rt::verify {

struct VerifyContext {
  const uint8_t* base = nullptr;  // start of the file
  size_t size = 0;                // whole file, including external data
  const fb::Model* model = nullptr;
  VerifyLimits limits;

  std::vector<TensorInfo> tensors;
  std::vector<OperatorInfo> operators;
  std::vector<int> inputs;
  std::vector<int> outputs;
  std::vector<BlockInfo> blocks;
  size_t weights_bytes = 0;

  // producer[t]: index of the operator writing tensor t, -1 if none (yet).
  std::vector<int> producer;
  // is_graph_input[t]: 1 if t is listed in Model.inputs.
  std::vector<uint8_t> is_graph_input;
};

// A name from the file, quoted, truncated and made printable: "'conv1'".
std::string quoted_name(const flatbuffers::String* name);
// "tensor 7 'conv1.weight'"
std::string tensor_label(const VerifyContext& ctx, int tensor);
// rt::operator_label() of operator `op` of the file: "operator 3 'conv1' (CONV_2D)".
std::string operator_label(const VerifyContext& ctx, int op);
// "[1,3,224,224]"
std::string shape_string(const TensorInfo& t);

// Stages, in this order; each assumes the previous ones succeeded.
Status verify_tensors(VerifyContext& ctx);        // tensor_checks.cpp
Status verify_graph_inputs(VerifyContext& ctx);   // graph_checks.cpp
Status verify_operators(VerifyContext& ctx);      // operator_checks.cpp
Status verify_graph_outputs(VerifyContext& ctx);  // graph_checks.cpp
Status verify_blocks(VerifyContext& ctx);         // graph_checks.cpp

}  // namespace bespoke::rt::verify
