// ModelView: a .bspk model that has passed verify_model(), with typed,
// bounds-checked-once access for the session and the backends. Everything a
// backend reads through a ModelView has been validated: indices are in range,
// shapes are consistent with the operator, constant data has exactly
// shape x element-size bytes, and operators are in execution order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "schema/bespoke_generated.h"

namespace bespoke::rt {

inline constexpr int kMaxRank = 6;

struct TensorInfo {
  std::string_view name;
  fb::ElementType type = fb::ElementType::FLOAT32;
  int rank = 0;
  std::array<int64_t, kMaxRank> dims{};  // logical (file) order, NCHW for images
  size_t element_count = 1;
  size_t byte_size = 0;
  // Constant data in place (memory-mapped file or caller memory), or nullptr
  // for graph inputs and intermediates. Aligned to 64 bytes for inline buffers.
  const void* constant = nullptr;

  bool is_constant() const { return constant != nullptr; }
  int64_t dim(int i) const { return dims[static_cast<size_t>(i)]; }
};

struct OperatorInfo {
  fb::OpCode opcode = fb::OpCode::CONV_2D;
  const fb::Operator* op = nullptr;  // options: op->options_as_Conv2DOptions() etc.
  std::vector<int> inputs;           // -1 = absent optional input
  std::vector<int> outputs;
  std::string_view name;
  int block = -1;  // index into blocks(), -1 if the file has no blocks
};

struct BlockInfo {
  uint32_t id = 0;
  std::string_view name;
  uint32_t first_operator = 0;
  uint32_t operator_count = 0;
};

class ModelView {
 public:
  ModelView() = default;

  const fb::Model& model() const { return *model_; }
  size_t tensor_count() const { return tensors_.size(); }
  const TensorInfo& tensor(int index) const { return tensors_[static_cast<size_t>(index)]; }
  size_t operator_count() const { return operators_.size(); }
  const OperatorInfo& op(int index) const { return operators_[static_cast<size_t>(index)]; }
  const std::vector<int>& inputs() const { return inputs_; }
  const std::vector<int>& outputs() const { return outputs_; }
  const std::vector<BlockInfo>& blocks() const { return blocks_; }
  // Sum of constant tensor bytes.
  size_t weights_bytes() const { return weights_bytes_; }

 private:
  friend class ModelViewBuilder;  // filled in by verify_model()
  const fb::Model* model_ = nullptr;
  std::vector<TensorInfo> tensors_;
  std::vector<OperatorInfo> operators_;
  std::vector<int> inputs_;
  std::vector<int> outputs_;
  std::vector<BlockInfo> blocks_;
  size_t weights_bytes_ = 0;
};

}  // namespace bespoke::rt
