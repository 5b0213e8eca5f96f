// Writes the fuzzer's seed corpus: valid models covering many operators (so
// mutations start from deep inside the verifier and the session).
//   fuzz_write_seed_corpus <dir>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/test_models.h"

namespace {

using namespace bespoke;

// x[1,4,6,6] -> pad -> avg pool -> concat with x-slice -> transpose -> ...
std::vector<uint8_t> tensor_ops_model() {
  test::ModelBuilder b;
  auto& f = b.fbb();
  using O = fb::OperatorOptions;
  const int x = b.add_input("x", {1, 4, 6, 6});
  const std::vector<int32_t> pads{0, 0, 1, 1, 0, 0, 1, 1};
  const int p = b.add_tensor("p", {1, 4, 8, 8});
  b.add_op(fb::OpCode::PAD, {x}, {p}, O::PadOptions, fb::CreatePadOptionsDirect(f, &pads, 0.5f).Union());
  const int a = b.add_tensor("a", {1, 4, 4, 4});
  b.add_op(fb::OpCode::AVERAGE_POOL_2D, {p}, {a}, O::Pool2DOptions, fb::CreatePool2DOptions(f, 2, 2, 2, 2).Union());
  const std::vector<int32_t> starts{0, 0, 1, 1}, ends{1, 4, 5, 5}, steps{1, 1, 1, 1};
  const int s = b.add_tensor("s", {1, 4, 4, 4});
  b.add_op(fb::OpCode::SLICE, {x}, {s}, O::SliceOptions,
           fb::CreateSliceOptionsDirect(f, &starts, &ends, &steps).Union());
  const int c = b.add_tensor("c", {1, 8, 4, 4});
  b.add_op(fb::OpCode::CONCAT, {a, s}, {c}, O::ConcatOptions, fb::CreateConcatOptions(f, 1).Union());
  const int sh = b.add_tensor("sh", {1, 8, 4, 4});
  b.add_op(fb::OpCode::CHANNEL_SHUFFLE, {c}, {sh}, O::ChannelShuffleOptions,
           fb::CreateChannelShuffleOptions(f, 2).Union());
  const std::vector<int32_t> sizes{3, 5};
  const int s1 = b.add_tensor("s1", {1, 3, 4, 4});
  const int s2 = b.add_tensor("s2", {1, 5, 4, 4});
  b.add_op(fb::OpCode::SPLIT, {sh}, {s1, s2}, O::SplitOptions, fb::CreateSplitOptionsDirect(f, 1, &sizes).Union());
  const int r = b.add_tensor("r", {1, 5, 8, 8});
  b.add_op(fb::OpCode::RESIZE, {s2}, {r}, O::ResizeOptions, fb::CreateResizeOptions(f, fb::ResizeMode::LINEAR).Union());
  const std::vector<int32_t> perm{0, 2, 3, 1};
  const int t = b.add_tensor("t", {1, 8, 8, 5});
  b.add_op(fb::OpCode::TRANSPOSE, {r}, {t}, O::TransposeOptions, fb::CreateTransposeOptionsDirect(f, &perm).Union());
  const std::vector<int32_t> axes{1, 2};
  const int m = b.add_tensor("m", {1, 5});
  b.add_op(fb::OpCode::REDUCE_MEAN, {t}, {m}, O::ReduceOptions, fb::CreateReduceOptionsDirect(f, &axes, false).Union());
  const int hs = b.add_tensor("hs", {1, 5});
  b.add_op(fb::OpCode::HARD_SWISH, {m}, {hs});
  const int g = b.add_tensor("g", {1, 3, 1, 1});
  b.add_op(fb::OpCode::GLOBAL_AVERAGE_POOL, {s1}, {g});
  const int bn_s = b.add_constant("bn.s", {3}, {1, 2, 3}), bn_b = b.add_constant("bn.b", {3}, {0, 1, 0});
  const int bn_m = b.add_constant("bn.m", {3}, {0, 0, 1}), bn_v = b.add_constant("bn.v", {3}, {1, 1, 2});
  const int bn = b.add_tensor("bn", {1, 3, 1, 1});
  b.add_op(fb::OpCode::BATCH_NORM, {g, bn_s, bn_b, bn_m, bn_v}, {bn}, O::BatchNormOptions,
           fb::CreateBatchNormOptions(f).Union());
  const int w = b.add_constant("ct.w", {3, 2, 2, 2}, test::seeded_values(24, 4));
  const int ct = b.add_tensor("ct", {1, 2, 2, 2});
  b.add_op(fb::OpCode::CONV_TRANSPOSE_2D, {bn, w, -1}, {ct}, O::ConvTranspose2DOptions,
           fb::CreateConvTranspose2DOptions(f, 2, 2, 2, 2).Union());
  const int sg = b.add_tensor("sg", {1, 2, 2, 2});
  b.add_op(fb::OpCode::SIGMOID, {ct}, {sg});
  b.mark_output(hs);
  b.mark_output(sg);
  return b.finish();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_write_seed_corpus <dir>\n");
    return 2;
  }
  std::error_code error;
  std::filesystem::create_directories(argv[1], error);
  const auto write = [&](const char* name, const std::vector<uint8_t>& bytes) {
    std::ofstream out(std::string(argv[1]) + "/" + name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
  };
  return write("small_cnn.bspk", test::small_cnn_model(1)) && write("tensor_ops.bspk", tensor_ops_model()) ? 0 : 1;
}
