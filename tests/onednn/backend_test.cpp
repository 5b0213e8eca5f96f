// The oneDNN backend as a whole: identity, refusals, kernel life cycle and
// the OpenMP thread count it leaves behind.
#include <oneapi/dnnl/dnnl.h>

#include "backends/onednn/omp_threads.h"
#include "onednn_test_util.h"

extern "C" {
int omp_get_max_threads(void);
void omp_set_num_threads(int num_threads);
}

namespace bespoke::test::onednn {
namespace {

// A verified one-operator model kept alive with its view.
struct VerifiedModel {
  explicit VerifiedModel(const std::vector<uint8_t>& bytes) : storage((bytes.size() + 7) / 8), size(bytes.size()) {
    std::memcpy(storage.data(), bytes.data(), bytes.size());
    status = rt::verify_model(storage.data(), size, &view);
  }
  std::vector<uint64_t> storage;
  size_t size;
  rt::ModelView view;
  rt::Status status;
};

std::vector<uint8_t> relu_model(const std::vector<int32_t>& shape) {
  ModelBuilder b;
  const int x = b.add_input("x", shape);
  const int y = b.add_tensor("y", shape);
  b.add_op(fb::OpCode::RELU, {x}, {y}, fb::OperatorOptions::NONE, 0, "relu");
  b.mark_output(y);
  return b.finish();
}

}  // namespace

TEST_CASE("onednn backend identity") {
  rt::Backend& backend = onednn_backend();  // this CPU has SSE4.1 (the test machines do)
  CHECK(backend.name() == "onednn");
  CHECK(backend.layout() == rt::Layout::kNHWC);
  CHECK(backend.thread_runtime() == rt::ThreadRuntime::kOpenMP);
}

// AUTO's hint follows oneDNN's effective ISA, so this case checks both sides:
// natively (AVX-512 here: preferred) and in the ONEDNN_MAX_CPU_ISA=SSE41 /
// AVX2 runs of this suite (not preferred).
TEST_CASE("onednn backend is preferred for convolutions only with AVX-512, never for element-wise ops") {
  ModelBuilder b;
  const int x = b.add_input("x", {1, 3, 6, 6});
  const int w = b.add_constant("w", {4, 3, 3, 3}, random_values(108, 3));
  const int c = b.add_tensor("c", {1, 4, 4, 4});
  b.add_op(fb::OpCode::CONV_2D, {x, w, -1}, {c}, fb::OperatorOptions::Conv2DOptions,
           fb::CreateConv2DOptions(b.fbb(), 3, 3).Union(), "conv");
  const int y = b.add_tensor("y", {1, 4, 4, 4});
  b.add_op(fb::OpCode::RELU, {c}, {y}, fb::OperatorOptions::NONE, 0, "relu");
  b.mark_output(y);
  VerifiedModel model(b.finish());
  REQUIRE_MESSAGE(model.status.ok(), model.status.message());
  const unsigned isa = static_cast<unsigned>(dnnl_get_effective_cpu_isa());
  const unsigned avx512 = static_cast<unsigned>(dnnl_cpu_isa_avx512_core);
  CHECK(onednn_backend().preferred_for(model.view, 0) == ((isa & avx512) == avx512));
  CHECK_FALSE(onednn_backend().preferred_for(model.view, 1));
}

TEST_CASE("onednn backend refuses operators it does not implement") {
  ModelBuilder b;
  const int x = b.add_input("x", {2, 6});
  const int y = b.add_tensor("y", {3, 4});
  b.add_op(fb::OpCode::RESHAPE, {x}, {y}, fb::OperatorOptions::ReshapeOptions,
           fb::CreateReshapeOptions(b.fbb()).Union(), "reshape");
  b.mark_output(y);
  VerifiedModel model(b.finish());
  REQUIRE_MESSAGE(model.status.ok(), model.status.message());
  CHECK_FALSE(onednn_backend().supports(model.view, 0));
  CHECK_FALSE(onednn_backend().supports(model.view, 1));   // out of range
  CHECK_FALSE(onednn_backend().supports(model.view, -1));  // out of range
  std::unique_ptr<rt::Kernel> kernel;
  const rt::Status status = onednn_backend().create_kernel(model.view, 0, rt::ExecutionContext{}, &kernel);
  CHECK(status.code() == rt::StatusCode::kUnsupported);
  CHECK(status.message().find("reshape") != std::string::npos);
}

TEST_CASE("onednn kernels run repeatedly and can be set up again") {
  VerifiedModel model(relu_model({1, 4, 3, 3}));
  REQUIRE(model.status.ok());
  std::unique_ptr<rt::Kernel> kernel;
  REQUIRE(onednn_backend().create_kernel(model.view, 0, rt::ExecutionContext{}, &kernel).ok());

  std::vector<float> in = random_values(36, 5), out_a(36, -1.0f), out_b(36, -1.0f);
  const void* inputs[] = {in.data()};
  void* outputs_a[] = {out_a.data()};
  void* outputs_b[] = {out_b.data()};
  REQUIRE(kernel->setup(inputs, outputs_a).ok());
  REQUIRE(kernel->run().ok());
  REQUIRE(kernel->run().ok());
  REQUIRE(kernel->setup(inputs, outputs_b).ok());
  REQUIRE(kernel->run().ok());
  for (size_t i = 0; i < in.size(); ++i) {
    CHECK(out_a[i] == std::max(in[i], 0.0f));
    CHECK(out_b[i] == out_a[i]);
  }

  void* missing[] = {nullptr};
  const rt::Status status = kernel->setup(inputs, missing);
  CHECK(status.code() == rt::StatusCode::kInvalidArgument);
  CHECK(status.message().find("relu") != std::string::npos);
}

TEST_CASE("OmpThreadScope sets the thread count for its scope and restores the host's") {
  omp_set_num_threads(3);
  {
    rt::onednn::OmpThreadScope scope(2);
    CHECK(omp_get_max_threads() == 2);
  }
  CHECK(omp_get_max_threads() == 3);
  {
    rt::onednn::OmpThreadScope scope(0);  // treated as 1
    CHECK(omp_get_max_threads() == 1);
  }
  CHECK(omp_get_max_threads() == 3);

  // Creating and running a kernel with 2 threads leaves the host's setting alone.
  VerifiedModel model(relu_model({1, 8, 4, 4}));
  REQUIRE(model.status.ok());
  rt::ExecutionContext context;
  context.num_threads = 2;
  std::unique_ptr<rt::Kernel> kernel;
  REQUIRE(onednn_backend().create_kernel(model.view, 0, context, &kernel).ok());
  CHECK(omp_get_max_threads() == 3);
  std::vector<float> in(128, -1.0f), out(128, 1.0f);
  const void* inputs[] = {in.data()};
  void* outputs[] = {out.data()};
  REQUIRE(kernel->setup(inputs, outputs).ok());
  REQUIRE(kernel->run().ok());
  CHECK(omp_get_max_threads() == 3);
  CHECK(out[0] == 0.0f);
}

}  // namespace bespoke::test::onednn
