// Shape rules: for each operator, validate its parameters against its input
// shapes and compute the shape every output must have. The verifier compares
// the computed shapes with the stored ones, so a backend can trust that e.g.
// a convolution's output really is [N, M, OH, OW] for its options.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/verify_context.h"

namespace bespoke::rt::verify {

struct Shape {
  int rank = 0;
  std::array<int64_t, kMaxRank> dims{};

  static Shape of(const TensorInfo& t) {
    Shape s;
    s.rank = t.rank;
    s.dims = t.dims;
    return s;
  }
  int64_t& operator[](int i) { return dims[static_cast<size_t>(i)]; }
  int64_t operator[](int i) const { return dims[static_cast<size_t>(i)]; }
};

std::string shape_string(const Shape& s);

// One operator being checked: typed access to its inputs and a uniform way to
// fail with a message that names the operator.
class OpCheck {
 public:
  OpCheck(const VerifyContext& ctx, int index, const OperatorInfo& info) : ctx_(ctx), index_(index), info_(info) {}

  const OperatorInfo& info() const { return info_; }
  const fb::Operator& op() const { return *info_.op; }
  int input_count() const { return static_cast<int>(info_.inputs.size()); }
  int output_count() const { return static_cast<int>(info_.outputs.size()); }
  bool has_input(int i) const { return i < input_count() && info_.inputs[static_cast<size_t>(i)] >= 0; }
  const TensorInfo& input(int i) const {
    return ctx_.tensors[static_cast<size_t>(info_.inputs[static_cast<size_t>(i)])];
  }
  const TensorInfo& output(int i) const {
    return ctx_.tensors[static_cast<size_t>(info_.outputs[static_cast<size_t>(i)])];
  }

  // InvalidModel("operator 3 'conv1' (CONV_2D): <message>").
  Status fail(const std::string& message) const;
  // "input 1 (tensor 7 'w')"
  std::string input_label(int i) const;

  // Common requirements, each failing with a message naming the input.
  Status require_rank(int input, int rank) const;
  Status require_min_rank(int input, int rank) const;
  Status require_constant(int input) const;
  // Absent, or a constant of shape [n].
  Status require_optional_vector(int input, int64_t n, const char* what) const;

 private:
  const VerifyContext& ctx_;
  int index_;
  const OperatorInfo& info_;
};

// Writes the expected shape of every output into `out` (one per output).
using ShapeRule = Status (*)(const OpCheck& check, std::vector<Shape>* out);

// The rule for `code` (known opcodes only).
ShapeRule shape_rule(fb::OpCode code);

// shape_rules_spatial.cpp: NCHW image operators.
Status conv2d_rule(const OpCheck& check, std::vector<Shape>* out);
Status conv_transpose2d_rule(const OpCheck& check, std::vector<Shape>* out);
Status pool2d_rule(const OpCheck& check, std::vector<Shape>* out);
Status global_average_pool_rule(const OpCheck& check, std::vector<Shape>* out);
Status resize_rule(const OpCheck& check, std::vector<Shape>* out);
Status channel_shuffle_rule(const OpCheck& check, std::vector<Shape>* out);
Status batch_norm_rule(const OpCheck& check, std::vector<Shape>* out);

// shape_rules_tensor.cpp: element-wise and tensor-manipulation operators.
Status fully_connected_rule(const OpCheck& check, std::vector<Shape>* out);
Status batch_matmul_rule(const OpCheck& check, std::vector<Shape>* out);
Status binary_rule(const OpCheck& check, std::vector<Shape>* out);
Status unary_rule(const OpCheck& check, std::vector<Shape>* out);
Status softmax_rule(const OpCheck& check, std::vector<Shape>* out);
Status concat_rule(const OpCheck& check, std::vector<Shape>* out);
Status reshape_rule(const OpCheck& check, std::vector<Shape>* out);
Status transpose_rule(const OpCheck& check, std::vector<Shape>* out);
Status pad_rule(const OpCheck& check, std::vector<Shape>* out);
Status reduce_mean_rule(const OpCheck& check, std::vector<Shape>* out);
Status slice_rule(const OpCheck& check, std::vector<Shape>* out);
Status split_rule(const OpCheck& check, std::vector<Shape>* out);

// A fused activation (absent = NONE) must have a known type and, for CLIP, min <= max.
Status check_fused_activation(const OpCheck& check, const fb::FusedActivation* activation);

}  // namespace bespoke::rt::verify
