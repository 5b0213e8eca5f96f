// verify_model(): accepts well-formed models and rejects each kind of
// malformed one with a message naming the operator / tensor at fault.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "core/verifier.h"
#include "runtime/test_models.h"
#include "support/test_values.h"

namespace bespoke::test {
namespace {

using rt::ModelView;
using rt::Status;
using rt::StatusCode;
using OptionsFn = std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)>;

Status verify_bytes(const std::vector<uint8_t>& bytes, ModelView* view = nullptr) {
  AlignedBytes aligned(bytes);
  ModelView local;
  return rt::verify_model(aligned.data(), aligned.size(), view != nullptr ? view : &local);
}

void expect_rejected(const std::vector<uint8_t>& bytes, StatusCode code, const std::string& fragment) {
  const Status s = verify_bytes(bytes);
  INFO("message: " << s.message());
  CHECK(static_cast<int>(s.code()) == static_cast<int>(code));
  CHECK(s.message().find(fragment) != std::string::npos);
}

// input x (in_shape) -> one operator -> output y (out_shape).
std::vector<uint8_t> one_op(fb::OpCode code, const std::vector<int32_t>& in_shape,
                            const std::vector<int32_t>& out_shape, fb::OperatorOptions type, const OptionsFn& options,
                            uint32_t min_runtime = 100) {
  ModelBuilder b;
  const int x = b.add_input("x", in_shape);
  const int y = b.add_tensor("y", out_shape);
  b.add_op(code, {x}, {y}, type, options ? options(b.fbb()) : 0, "op");
  b.mark_output(y);
  return b.finish(1, min_runtime);
}

TEST_CASE("verifier accepts the small CNN and fills the view") {
  const auto bytes = small_cnn_model();
  AlignedBytes aligned(bytes);
  ModelView view;
  const Status s = rt::verify_model(aligned.data(), aligned.size(), &view);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(view.operator_count() == 6);
  CHECK(view.inputs().size() == 1);
  CHECK(view.outputs().size() == 1);
  CHECK(view.tensor(view.inputs()[0]).name == "x");
  CHECK(view.tensor(view.inputs()[0]).byte_size == 3 * 8 * 8 * 4);
  CHECK(view.weights_bytes() == (108 + 4 + 12 + 3) * 4);
  REQUIRE(view.blocks().size() == 2);
  CHECK(view.blocks()[1].name == "head");
  CHECK(view.op(0).block == 0);
  CHECK(view.op(5).block == 1);
  CHECK(view.op(0).name == "conv");
  const rt::TensorInfo& w = view.tensor(view.op(0).inputs[1]);
  REQUIRE(w.is_constant());
  CHECK(reinterpret_cast<uintptr_t>(w.constant) % 64 == 0);
  CHECK(w.constant >= static_cast<const void*>(aligned.data()));
}

TEST_CASE("verifier rejects files that are not .bspk flatbuffers") {
  expect_rejected({1, 2, 3}, StatusCode::kInvalidModel, "too small");
  auto bytes = small_cnn_model();
  bytes[4] = 'X';
  expect_rejected(bytes, StatusCode::kInvalidModel, "file identifier is 'XSPK'");
  bytes = small_cnn_model();
  bytes.resize(bytes.size() / 2);
  expect_rejected(bytes, StatusCode::kInvalidModel, "corrupt");
}

TEST_CASE("verifier rejects newer format versions and unknown opcodes with the required runtime") {
  ModelBuilder b;
  const int x = b.add_input("x", {4});
  const int y = b.add_tensor("y", {4});
  b.add_op(fb::OpCode::RELU, {x}, {y});
  b.mark_output(y);
  expect_rejected(b.finish(2, 200), StatusCode::kUnsupported, "requires runtime >= 200");

  const auto unknown = one_op(static_cast<fb::OpCode>(42), {4}, {4}, fb::OperatorOptions::NONE, nullptr, 300);
  expect_rejected(unknown, StatusCode::kUnsupported,
                  "operator 0 'op' (opcode 42): not supported by this runtime (version 200); "
                  "the file requires runtime >= 300");

  const auto future = one_op(fb::OpCode::RELU, {4}, {4}, fb::OperatorOptions::NONE, nullptr, 500);
  expect_rejected(future, StatusCode::kUnsupported, "requires runtime >= 500");
}

TEST_CASE("verifier checks options type, presence and arity") {
  expect_rejected(one_op(fb::OpCode::SOFTMAX, {2, 3}, {2, 3}, fb::OperatorOptions::ConcatOptions,
                         [](auto& f) { return fb::CreateConcatOptions(f, 1).Union(); }),
                  StatusCode::kInvalidModel, "operator 0 'op' (SOFTMAX): options are of type ConcatOptions");
  expect_rejected(one_op(fb::OpCode::SOFTMAX, {2, 3}, {2, 3}, fb::OperatorOptions::SoftmaxOptions, nullptr),
                  StatusCode::kInvalidModel, "table is missing");
  expect_rejected(one_op(fb::OpCode::ADD, {2, 3}, {2, 3}, fb::OperatorOptions::BinaryOptions,
                         [](auto& f) { return fb::CreateBinaryOptions(f).Union(); }),
                  StatusCode::kInvalidModel, "has 1 inputs, expected 2");
}

TEST_CASE("verifier checks tensor indices, definition before use and single assignment") {
  SUBCASE("index out of range") {
    ModelBuilder b;
    const int x = b.add_input("x", {4});
    const int y = b.add_tensor("y", {4});
    b.add_op(fb::OpCode::RELU, {7}, {y}, fb::OperatorOptions::NONE, 0, "r");
    b.mark_output(y);
    (void)x;
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "operator 0 'r' (RELU): input 0 has tensor index 7");
  }
  SUBCASE("-1 for a required input") {
    ModelBuilder b;
    b.add_input("x", {1, 4});
    const int y = b.add_tensor("y", {1, 4});
    b.add_op(fb::OpCode::RELU, {-1}, {y});
    b.mark_output(y);
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "this input is not optional");
  }
  SUBCASE("cycle / wrong order") {
    ModelBuilder b;
    const int x = b.add_input("x", {4});
    const int a = b.add_tensor("a", {4});
    const int c = b.add_tensor("c", {4});
    b.add_op(fb::OpCode::RELU, {c}, {a}, fb::OperatorOptions::NONE, 0, "first");
    b.add_op(fb::OpCode::TANH, {a}, {c}, fb::OperatorOptions::NONE, 0, "second");
    b.mark_output(c);
    (void)x;
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "tensor 2 'c') is used before it is defined");
  }
  SUBCASE("in-place operator") {
    ModelBuilder b;
    b.add_input("x", {4});
    const int a = b.add_tensor("a", {4});
    b.add_op(fb::OpCode::RELU, {a}, {a});
    b.mark_output(a);
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "used before it is defined");
  }
  SUBCASE("written twice") {
    ModelBuilder b;
    const int x = b.add_input("x", {4});
    const int a = b.add_tensor("a", {4});
    b.add_op(fb::OpCode::RELU, {x}, {a}, fb::OperatorOptions::NONE, 0, "one");
    b.add_op(fb::OpCode::TANH, {x}, {a}, fb::OperatorOptions::NONE, 0, "two");
    b.mark_output(a);
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "is already written by operator 0 'one' (RELU)");
  }
  SUBCASE("output is a constant or a graph input") {
    ModelBuilder b;
    const int x = b.add_input("x", {2});
    const int k = b.add_constant("k", {2}, {1, 2});
    b.add_op(fb::OpCode::RELU, {x}, {k});
    b.mark_output(k);
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "output 0 (tensor 1 'k') is a constant");
    ModelBuilder b2;
    const int x2 = b2.add_input("x", {2});
    b2.add_op(fb::OpCode::RELU, {x2}, {x2});
    b2.mark_output(x2);
    expect_rejected(b2.finish(), StatusCode::kInvalidModel, "is a graph input");
  }
  SUBCASE("graph output not produced") {
    ModelBuilder b;
    const int x = b.add_input("x", {4});
    const int y = b.add_tensor("y", {4});
    const int z = b.add_tensor("z", {4});
    b.add_op(fb::OpCode::RELU, {x}, {y});
    b.mark_output(z);
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "graph output 0: tensor 2 'z' is not produced");
  }
  SUBCASE("non-float tensors") {
    ModelBuilder b;
    const int x = b.add_input("x", {4});
    const int y = b.add_tensor("y", {4}, fb::ElementType::INT32);
    b.add_op(fb::OpCode::RELU, {x}, {y});
    b.mark_output(y);
    expect_rejected(b.finish(), StatusCode::kUnsupported, "FLOAT32 only");
  }
}

TEST_CASE("verifier checks tensor shapes and buffers") {
  SUBCASE("dimension < 1") {
    expect_rejected(one_op(fb::OpCode::RELU, {2, 0}, {2, 0}, fb::OperatorOptions::NONE, nullptr),
                    StatusCode::kInvalidModel, "tensor 0 'x': dimension 1 is 0");
    expect_rejected(one_op(fb::OpCode::RELU, {-5}, {-5}, fb::OperatorOptions::NONE, nullptr), StatusCode::kInvalidModel,
                    "dimension 0 is -5");
  }
  SUBCASE("rank and size limits") {
    expect_rejected(one_op(fb::OpCode::RELU, {1, 1, 1, 1, 1, 1, 1}, {1}, fb::OperatorOptions::NONE, nullptr),
                    StatusCode::kInvalidModel, "has rank 7");
    expect_rejected(one_op(fb::OpCode::RELU, {65536, 65536, 65536}, {1}, fb::OperatorOptions::NONE, nullptr),
                    StatusCode::kInvalidModel, "tensor 0 'x' is too large");
  }
  SUBCASE("buffer index and size") {
    ModelBuilder b;
    const int x = b.add_input("x", {2});
    const int k = b.add_tensor("k", {2}, fb::ElementType::FLOAT32, 9);
    const int y = b.add_tensor("y", {2});
    b.add_op(fb::OpCode::ADD, {x, k}, {y}, fb::OperatorOptions::BinaryOptions,
             fb::CreateBinaryOptions(b.fbb()).Union());
    b.mark_output(y);
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "tensor 1 'k': buffer index 9 is out of range");

    ModelBuilder b2;
    const int x2 = b2.add_input("x", {2});
    const int k2 = b2.add_constant("k", {3}, {1, 2});
    const int y2 = b2.add_tensor("y", {3});
    b2.add_op(fb::OpCode::ADD, {x2, k2}, {y2}, fb::OperatorOptions::BinaryOptions,
              fb::CreateBinaryOptions(b2.fbb()).Union());
    b2.mark_output(y2);
    expect_rejected(b2.finish(), StatusCode::kInvalidModel, "holds 8 bytes; shape [3] needs 12");
  }
}

// A model whose buffer 1 is external: [offset, offset + size) of the file.
std::vector<uint8_t> external_data_model(uint64_t offset, uint64_t size, size_t file_padding) {
  flatbuffers::FlatBufferBuilder f;
  std::vector<int32_t> shape{4};
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors{
      fb::CreateTensorDirect(f, "x", &shape), fb::CreateTensorDirect(f, "k", &shape, fb::ElementType::FLOAT32, 1),
      fb::CreateTensorDirect(f, "y", &shape)};
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers{fb::CreateBuffer(f), fb::CreateBuffer(f, 0, offset, size)};
  std::vector<int32_t> in{0, 1}, out{2}, graph_in{0}, graph_out{2};
  std::vector<flatbuffers::Offset<fb::Operator>> ops{fb::CreateOperatorDirect(
      f, fb::OpCode::MUL, fb::OperatorOptions::BinaryOptions, fb::CreateBinaryOptions(f).Union(), &in, &out, "mul")};
  auto model =
      fb::CreateModelDirect(f, 1, 100, "t", "0", "ext", nullptr, &tensors, &buffers, &ops, &graph_in, &graph_out);
  fb::FinishModelBuffer(f, model);
  std::vector<uint8_t> bytes(f.GetBufferPointer(), f.GetBufferPointer() + f.GetSize());
  bytes.resize(bytes.size() + file_padding, 0);
  return bytes;
}

TEST_CASE("verifier checks external tensor data") {
  const size_t fb_size = external_data_model(64, 16, 0).size();  // same layout for any non-zero offset
  const uint64_t aligned_end = (fb_size + 63) / 64 * 64;
  ModelView view;
  const auto good = external_data_model(aligned_end, 16, aligned_end - fb_size + 16);
  AlignedBytes aligned(good);
  REQUIRE(rt::verify_model(aligned.data(), aligned.size(), &view).ok());
  CHECK(view.tensor(1).constant == aligned.data() + aligned_end);

  expect_rejected(external_data_model(aligned_end + 4, 16, 200), StatusCode::kInvalidModel, "is not a multiple of 64");
  expect_rejected(external_data_model(aligned_end, 16, 8), StatusCode::kInvalidModel, "lies outside the file");
  expect_rejected(external_data_model(~uint64_t{63}, 16, 8), StatusCode::kInvalidModel, "lies outside the file");
  expect_rejected(external_data_model(aligned_end, 12, 64), StatusCode::kInvalidModel, "holds 12 bytes");
}

TEST_CASE("verifier computes expected output shapes") {
  using O = fb::OperatorOptions;
  SUBCASE("conv") {
    const auto conv = [](int pad, std::vector<int32_t> out, int groups = 1,
                         std::vector<int32_t> wshape = {4, 3, 3, 3}) {
      ModelBuilder b;
      const int x = b.add_input("x", {1, 3, 8, 8});
      size_t n = 1;
      for (int d : wshape) n *= static_cast<size_t>(d > 0 ? d : 1);
      const int w = b.add_constant("w", wshape, seeded_values(n, 3));
      const int y = b.add_tensor("y", out);
      b.add_op(fb::OpCode::CONV_2D, {x, w, -1}, {y}, O::Conv2DOptions,
               fb::CreateConv2DOptions(b.fbb(), 3, 3, 1, 1, 1, 1, pad, pad, pad, pad, groups).Union(), "conv1");
      b.mark_output(y);
      return b.finish();
    };
    CHECK(verify_bytes(conv(1, {1, 4, 8, 8})).ok());
    CHECK(verify_bytes(conv(0, {1, 4, 6, 6})).ok());
    expect_rejected(conv(0, {1, 4, 8, 8}), StatusCode::kInvalidModel,
                    "operator 0 'conv1' (CONV_2D): output 0 (tensor 2 'y') has shape [1,4,8,8], expected [1,4,6,6]");
    expect_rejected(conv(1, {1, 4, 8, 8}, 2), StatusCode::kInvalidModel, "not divisible by groups");
    expect_rejected(conv(1, {1, 4, 8, 8}, 1, {4, 3, 5, 5}), StatusCode::kInvalidModel, "but the kernel is 3x3");
    expect_rejected(conv(-1, {1, 4, 8, 8}), StatusCode::kInvalidModel, "padding along h is negative");
  }
  SUBCASE("stride and kernel parameters") {
    expect_rejected(one_op(fb::OpCode::MAX_POOL_2D, {1, 1, 4, 4}, {1, 1, 2, 2}, O::Pool2DOptions,
                           [](auto& f) { return fb::CreatePool2DOptions(f, 2, 2, 0, 2).Union(); }),
                    StatusCode::kInvalidModel, "stride_h is 0, must be >= 1");
    expect_rejected(one_op(fb::OpCode::AVERAGE_POOL_2D, {1, 1, 4, 4}, {1, 1, 2, 2}, O::Pool2DOptions,
                           [](auto& f) { return fb::CreatePool2DOptions(f, 9, 2, 2, 2).Union(); }),
                    StatusCode::kInvalidModel, "smaller than the dilated kernel");
  }
  SUBCASE("broadcasting") {
    const auto add = [](std::vector<int32_t> a, std::vector<int32_t> bshape, std::vector<int32_t> out) {
      ModelBuilder b;
      const int x = b.add_input("a", a);
      const int y = b.add_input("b", bshape);
      const int z = b.add_tensor("z", out);
      b.add_op(fb::OpCode::ADD, {x, y}, {z}, O::BinaryOptions, fb::CreateBinaryOptions(b.fbb()).Union(), "add");
      b.mark_output(z);
      return b.finish();
    };
    CHECK(verify_bytes(add({1, 4, 5, 5}, {4, 1, 1}, {1, 4, 5, 5})).ok());
    CHECK(verify_bytes(add({3, 1}, {1, 5}, {3, 5})).ok());
    expect_rejected(add({1, 4, 5, 5}, {3, 1, 1}, {1, 4, 5, 5}), StatusCode::kInvalidModel, "do not broadcast");
    expect_rejected(add({3, 1}, {1, 5}, {3, 1}), StatusCode::kInvalidModel, "expected [3,5]");
  }
  SUBCASE("SQRT keeps the shape") {
    CHECK(verify_bytes(one_op(fb::OpCode::SQRT, {2, 3}, {2, 3}, O::NONE, nullptr, 200)).ok());
    expect_rejected(one_op(fb::OpCode::SQRT, {2, 3}, {3, 2}, O::NONE, nullptr, 200), StatusCode::kInvalidModel,
                    "operator 0 'op' (SQRT): output 0 (tensor 1 'y') has shape [3,2], expected [2,3]");
  }
  SUBCASE("BATCH_MATMUL: ranks, K, batch broadcasting and the output shape") {
    const auto matmul = [](std::vector<int32_t> a, std::vector<int32_t> bshape, std::vector<int32_t> out) {
      ModelBuilder b;
      const int x = b.add_input("a", a);
      const int w = b.add_constant("b", bshape, std::vector<float>(element_count(bshape), 1.0f));
      const int z = b.add_tensor("z", out);
      b.add_op(fb::OpCode::BATCH_MATMUL, {x, w}, {z}, O::NONE, 0, "mm");
      b.mark_output(z);
      return b.finish(1, 200);
    };
    CHECK(verify_bytes(matmul({3, 4}, {4, 5}, {3, 5})).ok());
    CHECK(verify_bytes(matmul({2, 3, 4}, {4, 5}, {2, 3, 5})).ok());
    CHECK(verify_bytes(matmul({2, 1, 3, 4}, {3, 4, 5}, {2, 3, 3, 5})).ok());
    expect_rejected(matmul({4}, {4, 5}, {5}), StatusCode::kInvalidModel,
                    "operator 0 'mm' (BATCH_MATMUL): input 0 (tensor 0 'a') has 1 dims, expected 2 to 4");
    expect_rejected(matmul({1, 1, 1, 3, 4}, {4, 5}, {1, 1, 1, 3, 5}), StatusCode::kInvalidModel,
                    "(BATCH_MATMUL): input 0 (tensor 0 'a') has 5 dims, expected 2 to 4");
    expect_rejected(matmul({3, 4}, {2, 2, 2, 4, 5}, {2, 2, 2, 3, 5}), StatusCode::kInvalidModel,
                    "input 1 (tensor 1 'b') has 5 dims, expected 2 to 4");
    expect_rejected(matmul({3, 4}, {5, 6}, {3, 6}), StatusCode::kInvalidModel,
                    "(BATCH_MATMUL): inputs of shapes [3,4] and [5,6] do not multiply");
    expect_rejected(matmul({2, 3, 4}, {3, 4, 5}, {3, 3, 5}), StatusCode::kInvalidModel,
                    "(BATCH_MATMUL): the batch dims of inputs of shapes [2,3,4] and [3,4,5] do not broadcast");
    expect_rejected(matmul({2, 1, 3, 4}, {3, 4, 5}, {2, 3, 5}), StatusCode::kInvalidModel,
                    "(BATCH_MATMUL): output 0 (tensor 2 'z') has shape [2,3,5], expected [2,3,3,5]");
    expect_rejected(matmul({2, 3, 4}, {4, 5}, {2, 3, 6}), StatusCode::kInvalidModel, "expected [2,3,5]");
  }
  SUBCASE("transpose, pad, slice, reduce, reshape") {
    const std::vector<int32_t> bad_perm{0, 2, 2};
    expect_rejected(one_op(fb::OpCode::TRANSPOSE, {2, 3, 4}, {2, 4, 4}, O::TransposeOptions,
                           [&](auto& f) { return fb::CreateTransposeOptionsDirect(f, &bad_perm).Union(); }),
                    StatusCode::kInvalidModel, "perm is not a permutation");
    const std::vector<int32_t> perm{0, 2, 1};
    CHECK(verify_bytes(one_op(fb::OpCode::TRANSPOSE, {2, 3, 4}, {2, 4, 3}, O::TransposeOptions, [&](auto& f) {
            return fb::CreateTransposeOptionsDirect(f, &perm).Union();
          })).ok());
    const std::vector<int32_t> short_perm{1, 0};
    expect_rejected(one_op(fb::OpCode::TRANSPOSE, {2, 3, 4}, {2, 4, 3}, O::TransposeOptions,
                           [&](auto& f) { return fb::CreateTransposeOptionsDirect(f, &short_perm).Union(); }),
                    StatusCode::kInvalidModel, "perm has 2 entries, expected 3");
    const std::vector<int32_t> pads{0, 1, 0, -1};
    expect_rejected(one_op(fb::OpCode::PAD, {2, 3}, {2, 3}, O::PadOptions,
                           [&](auto& f) { return fb::CreatePadOptionsDirect(f, &pads).Union(); }),
                    StatusCode::kInvalidModel, "are negative");
    const std::vector<int32_t> starts{0, 1}, ends{2, 5}, steps{1, 2};
    expect_rejected(one_op(fb::OpCode::SLICE, {2, 4}, {2, 2}, O::SliceOptions,
                           [&](auto& f) { return fb::CreateSliceOptionsDirect(f, &starts, &ends, &steps).Union(); }),
                    StatusCode::kInvalidModel, "0 <= start < end <= 4");
    const std::vector<int32_t> ends_ok{2, 4};
    CHECK(verify_bytes(one_op(fb::OpCode::SLICE, {2, 4}, {2, 2}, O::SliceOptions, [&](auto& f) {
            return fb::CreateSliceOptionsDirect(f, &starts, &ends_ok, &steps).Union();
          })).ok());
    const std::vector<int32_t> axes{2, 1};
    expect_rejected(one_op(fb::OpCode::REDUCE_MEAN, {2, 3, 4}, {2, 1, 1}, O::ReduceOptions,
                           [&](auto& f) { return fb::CreateReduceOptionsDirect(f, &axes).Union(); }),
                    StatusCode::kInvalidModel, "axes must be ascending");
    const std::vector<int32_t> axes_ok{1, 2};
    CHECK(verify_bytes(one_op(fb::OpCode::REDUCE_MEAN, {2, 3, 4}, {2}, O::ReduceOptions, [&](auto& f) {
            return fb::CreateReduceOptionsDirect(f, &axes_ok, false).Union();
          })).ok());
    expect_rejected(one_op(fb::OpCode::RESHAPE, {2, 3}, {7}, O::ReshapeOptions,
                           [](auto& f) { return fb::CreateReshapeOptions(f).Union(); }),
                    StatusCode::kInvalidModel, "cannot reshape [2,3] (6 elements) to [7]");
  }
  SUBCASE("resize and channel shuffle") {
    expect_rejected(one_op(fb::OpCode::RESIZE, {1, 2, 4}, {1, 2, 8}, O::ResizeOptions,
                           [](auto& f) { return fb::CreateResizeOptions(f).Union(); }),
                    StatusCode::kInvalidModel, "input 0 (tensor 0 'x') has 3 dims, expected 4");
    CHECK(verify_bytes(one_op(fb::OpCode::RESIZE, {1, 2, 4, 4}, {1, 2, 8, 6}, O::ResizeOptions, [](auto& f) {
            return fb::CreateResizeOptions(f).Union();
          })).ok());
    expect_rejected(one_op(fb::OpCode::CHANNEL_SHUFFLE, {1, 6, 2, 2}, {1, 6, 2, 2}, O::ChannelShuffleOptions,
                           [](auto& f) { return fb::CreateChannelShuffleOptions(f, 4).Union(); }),
                    StatusCode::kInvalidModel, "channels (6) is not divisible by groups (4)");
  }
  SUBCASE("concat and split") {
    ModelBuilder b;
    const int x = b.add_input("x", {1, 6, 2});
    const int a = b.add_tensor("a", {1, 2, 2});
    const int c = b.add_tensor("c", {1, 3, 2});
    b.add_op(fb::OpCode::SPLIT, {x}, {a, c}, O::SplitOptions, fb::CreateSplitOptions(b.fbb(), 1).Union(), "split");
    b.mark_output(a);
    b.mark_output(c);
    expect_rejected(b.finish(), StatusCode::kInvalidModel, "sizes has 0 entries, expected 2");

    ModelBuilder b2;
    const std::vector<int32_t> sizes{2, 3};
    const int x2 = b2.add_input("x", {1, 6, 2});
    const int a2 = b2.add_tensor("a", {1, 2, 2});
    const int c2 = b2.add_tensor("c", {1, 3, 2});
    b2.add_op(fb::OpCode::SPLIT, {x2}, {a2, c2}, O::SplitOptions,
              fb::CreateSplitOptionsDirect(b2.fbb(), 1, &sizes).Union(), "split");
    b2.mark_output(a2);
    b2.mark_output(c2);
    expect_rejected(b2.finish(), StatusCode::kInvalidModel, "split sizes sum to 5 but the input has 6");

    ModelBuilder b3;
    const int p = b3.add_input("p", {1, 2, 3});
    const int q = b3.add_input("q", {1, 4, 3});
    const int r = b3.add_tensor("r", {1, 6, 3});
    b3.add_op(fb::OpCode::CONCAT, {p, q}, {r}, O::ConcatOptions, fb::CreateConcatOptions(b3.fbb(), 1).Union());
    b3.mark_output(r);
    CHECK(verify_bytes(b3.finish()).ok());
    ModelBuilder b4;
    const int p4 = b4.add_input("p", {1, 2, 3});
    const int q4 = b4.add_input("q", {1, 4, 4});
    const int r4 = b4.add_tensor("r", {1, 6, 3});
    b4.add_op(fb::OpCode::CONCAT, {p4, q4}, {r4}, O::ConcatOptions, fb::CreateConcatOptions(b4.fbb(), 1).Union());
    b4.mark_output(r4);
    expect_rejected(b4.finish(), StatusCode::kInvalidModel, "incompatible with [1,2,3]");
  }
  SUBCASE("fused activation and clip bounds") {
    expect_rejected(one_op(fb::OpCode::CLIP, {4}, {4}, O::ClipOptions,
                           [](auto& f) { return fb::CreateClipOptions(f, 6.0f, 0.0f).Union(); }),
                    StatusCode::kInvalidModel, "min 6.000000 > max 0.000000");
  }
}

TEST_CASE("verifier checks blocks partition the operators") {
  const auto with_blocks = [](std::vector<std::pair<uint32_t, uint32_t>> blocks, int input = 0) {
    ModelBuilder b;
    const int x = b.add_input("x", {4});
    const int a = b.add_tensor("a", {4});
    const int y = b.add_tensor("y", {4});
    b.add_op(fb::OpCode::RELU, {x}, {a});
    b.add_op(fb::OpCode::TANH, {a}, {y});
    b.mark_output(y);
    for (auto [first, count] : blocks) b.add_block("blk", first, count, input, y);
    return b.finish();
  };
  CHECK(verify_bytes(with_blocks({{0, 1}, {1, 1}})).ok());
  CHECK(verify_bytes(with_blocks({{0, 2}})).ok());
  expect_rejected(with_blocks({{0, 1}}), StatusCode::kInvalidModel, "blocks must partition all operators");
  expect_rejected(with_blocks({{1, 1}, {0, 1}}), StatusCode::kInvalidModel, "expected 0");
  expect_rejected(with_blocks({{0, 0}, {0, 2}}), StatusCode::kInvalidModel, "holds no operators");
  expect_rejected(with_blocks({{0, 3}}), StatusCode::kInvalidModel, "extend past the last operator");
  expect_rejected(with_blocks({{0, 2}}, 99), StatusCode::kInvalidModel, "boundary tensor index 99");
}

}  // namespace
}  // namespace bespoke::test
