// ModelBuilder: writes small .bspk models directly with the FlatBuffers
// builder, independent of the optimizer's writer, so runtime and backend tests
// can craft exactly the operator (or the malformed file) they need.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/bespoke_generated.h"

namespace bespoke::test {

class ModelBuilder {
 public:
  ModelBuilder() { buffers_.push_back(fb::CreateBuffer(fbb_)); }  // sentinel buffer 0

  flatbuffers::FlatBufferBuilder& fbb() { return fbb_; }

  int add_input(const std::string& name, const std::vector<int32_t>& shape) {
    int t = add_tensor(name, shape);
    inputs_.push_back(t);
    return t;
  }
  int add_tensor(const std::string& name, const std::vector<int32_t>& shape,
                 fb::ElementType type = fb::ElementType::FLOAT32, uint32_t buffer = 0) {
    tensors_.push_back(fb::CreateTensorDirect(fbb_, name.c_str(), &shape, type, buffer));
    return static_cast<int>(tensors_.size() - 1);
  }
  int add_constant(const std::string& name, const std::vector<int32_t>& shape, const std::vector<float>& data) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
    return add_constant_bytes(name, shape, fb::ElementType::FLOAT32,
                              std::vector<uint8_t>(bytes, bytes + data.size() * sizeof(float)));
  }
  int add_constant_bytes(const std::string& name, const std::vector<int32_t>& shape, fb::ElementType type,
                         const std::vector<uint8_t>& bytes) {
    fbb_.ForceVectorAlignment(bytes.size(), 1, 64);
    auto vec = fbb_.CreateVector(bytes);
    buffers_.push_back(fb::CreateBuffer(fbb_, vec));
    return add_tensor(name, shape, type, static_cast<uint32_t>(buffers_.size() - 1));
  }
  void mark_output(int tensor) { outputs_.push_back(tensor); }

  // options: e.g. fb::CreateConv2DOptions(b.fbb(), ...).Union(), with its union type.
  void add_op(fb::OpCode code, const std::vector<int32_t>& inputs, const std::vector<int32_t>& outputs,
              fb::OperatorOptions options_type = fb::OperatorOptions::NONE, flatbuffers::Offset<void> options = 0,
              const std::string& name = "") {
    ops_.push_back(fb::CreateOperatorDirect(fbb_, code, options_type, options, &inputs, &outputs,
                                            name.empty() ? nullptr : name.c_str()));
  }
  void add_block(const std::string& name, uint32_t first, uint32_t count, int input, int output) {
    blocks_.push_back(
        fb::CreateBlockDirect(fbb_, static_cast<uint32_t>(blocks_.size()), name.c_str(), first, count, input, output));
  }

  std::vector<uint8_t> finish(uint32_t format_version = 1, uint32_t min_runtime_version = 100) {
    auto model = fb::CreateModelDirect(fbb_, format_version, min_runtime_version, "test", "0", "test-model", nullptr,
                                       &tensors_, &buffers_, &ops_, &inputs_, &outputs_, &blocks_);
    fb::FinishModelBuffer(fbb_, model);
    return std::vector<uint8_t>(fbb_.GetBufferPointer(), fbb_.GetBufferPointer() + fbb_.GetSize());
  }

 private:
  flatbuffers::FlatBufferBuilder fbb_;
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors_;
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers_;
  std::vector<flatbuffers::Offset<fb::Operator>> ops_;
  std::vector<flatbuffers::Offset<fb::Block>> blocks_;
  std::vector<int32_t> inputs_, outputs_;
};

}  // namespace bespoke::test
