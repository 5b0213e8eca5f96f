// Small models shared by the runtime tests, built with ModelBuilder, plus a
// 64-byte aligned byte buffer (what the loader guarantees in production).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "support/model_builder.h"

namespace bespoke::test {

inline std::vector<float> seeded_values(size_t n, uint32_t seed, float scale = 0.5f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

inline fb::FusedActivation relu_activation() { return fb::FusedActivation(fb::ActivationType::RELU, 0.0f, 0.0f); }

// x[1,3,8,8] -> conv 3x3 (4 ch, pad 1, fused relu) -> max pool 2x2/2 -> [1,4,4,4]
//   -> global average pool [1,4,1,1] -> reshape [1,4] -> fully connected [1,3] -> softmax.
// Two blocks: "features" (conv, pool) and "head" (the rest).
inline std::vector<uint8_t> small_cnn_model(uint32_t seed = 1) {
  ModelBuilder b;
  auto& f = b.fbb();
  const int x = b.add_input("x", {1, 3, 8, 8});
  const int w = b.add_constant("conv.w", {4, 3, 3, 3}, seeded_values(4 * 3 * 3 * 3, seed));
  const int bias = b.add_constant("conv.b", {4}, seeded_values(4, seed + 1));
  const int c = b.add_tensor("conv", {1, 4, 8, 8});
  const fb::FusedActivation relu = relu_activation();
  b.add_op(fb::OpCode::CONV_2D, {x, w, bias}, {c}, fb::OperatorOptions::Conv2DOptions,
           fb::CreateConv2DOptions(f, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, &relu).Union(), "conv");
  const int p = b.add_tensor("pool", {1, 4, 4, 4});
  b.add_op(fb::OpCode::MAX_POOL_2D, {c}, {p}, fb::OperatorOptions::Pool2DOptions,
           fb::CreatePool2DOptions(f, 2, 2, 2, 2).Union(), "pool");
  const int g = b.add_tensor("gap", {1, 4, 1, 1});
  b.add_op(fb::OpCode::GLOBAL_AVERAGE_POOL, {p}, {g}, fb::OperatorOptions::NONE, 0, "gap");
  const int r = b.add_tensor("flat", {1, 4});
  b.add_op(fb::OpCode::RESHAPE, {g}, {r}, fb::OperatorOptions::ReshapeOptions, fb::CreateReshapeOptions(f).Union(),
           "flatten");
  const int fw = b.add_constant("fc.w", {3, 4}, seeded_values(12, seed + 2));
  const int fbias = b.add_constant("fc.b", {3}, seeded_values(3, seed + 3));
  const int logits = b.add_tensor("logits", {1, 3});
  b.add_op(fb::OpCode::FULLY_CONNECTED, {r, fw, fbias}, {logits}, fb::OperatorOptions::FullyConnectedOptions,
           fb::CreateFullyConnectedOptions(f).Union(), "fc");
  const int y = b.add_tensor("probs", {1, 3});
  b.add_op(fb::OpCode::SOFTMAX, {logits}, {y}, fb::OperatorOptions::SoftmaxOptions,
           fb::CreateSoftmaxOptions(f, 1).Union(), "softmax");
  b.mark_output(y);
  b.add_block("features", 0, 2, x, p);
  b.add_block("head", 2, 4, p, y);
  return b.finish();
}

// Bytes at a 64-byte aligned address, as the loader provides them.
class AlignedBytes {
 public:
  explicit AlignedBytes(const std::vector<uint8_t>& bytes)
      : size_(bytes.size()), data_(static_cast<uint8_t*>(std::aligned_alloc(64, (bytes.size() + 63) / 64 * 64 + 64))) {
    if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
  }
  const uint8_t* data() const { return data_.get(); }
  uint8_t* data() { return data_.get(); }
  size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  size_t size_;
  std::unique_ptr<uint8_t, Free> data_;
};

}  // namespace bespoke::test
