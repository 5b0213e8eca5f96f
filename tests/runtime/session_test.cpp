// Session end to end: results against a naive independent implementation of
// the small CNN, layout conversions between NCHW and NHWC backends, memory
// planning, caller arenas, profiling, error handling, and the optimized
// backends when they are compiled in.
#include <doctest/doctest.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/model_cost.h"
#include "core/model_loader.h"
#include "core/op_traits.h"
#include "core/session.h"
#include "runtime/small_cnn_reference.h"
#include "runtime/test_models.h"

namespace bespoke::test {
namespace {

using rt::Session;
using rt::SessionOptions;

std::unique_ptr<rt::LoadedModel> load(const std::vector<uint8_t>& bytes) {
  std::unique_ptr<rt::LoadedModel> model;
  const rt::Status s = rt::LoadedModel::from_memory(bytes.data(), bytes.size(), true, &model);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return model;
}

std::vector<float> run_once(Session& session, const std::vector<std::vector<float>>& inputs, size_t output = 0) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    const rt::Status s = session.set_input(i, inputs[i].data(), inputs[i].size() * sizeof(float));
    REQUIRE_MESSAGE(s.ok(), s.message());
  }
  const rt::Status s = session.run();
  REQUIRE_MESSAGE(s.ok(), s.message());
  const void* data = nullptr;
  size_t bytes = 0;
  REQUIRE(session.output(output, &data, &bytes).ok());
  const auto* f = static_cast<const float*>(data);
  return std::vector<float>(f, f + bytes / sizeof(float));
}

std::unique_ptr<Session> make_session(const rt::ModelView& view, SessionOptions options) {
  std::unique_ptr<Session> session;
  const rt::Status s = Session::create(view, options, &session);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return session;
}

// A session on the reference backend followed by exactly `extra`.
template <typename... Backends>
std::unique_ptr<Session> session_on(const rt::ModelView& view, std::unique_ptr<Backends>... extra) {
  std::vector<std::unique_ptr<rt::Backend>> backends;
  backends.push_back(rt::make_reference_backend());
  (backends.push_back(std::move(extra)), ...);
  std::unique_ptr<Session> session;
  const rt::Status s = rt::create_session_with_backends(view, SessionOptions{}, std::move(backends), &session);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return session;
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

void check_close(const std::vector<float>& a, const std::vector<float>& b, float tolerance) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK_MESSAGE(std::fabs(a[i] - b[i]) <= tolerance, "element " << i);
}

TEST_CASE("session on the reference backend matches a naive implementation") {
  const auto model = load(small_cnn_model(7));
  SessionOptions options;
  options.backend = rt::BackendKind::kReference;
  auto session = make_session(model->view(), options);
  CHECK(std::string(session->backend_name()) == "reference");
  const auto x = seeded_values(3 * 64, 99, 1.0f);
  check_close(run_once(*session, {x}), naive_small_cnn(x, 7), 1e-5f);
  // Inputs persist across runs; a second run gives the same result.
  REQUIRE(session->run().ok());
  const void* data = nullptr;
  size_t bytes = 0;
  REQUIRE(session->output(0, &data, &bytes).ok());
  check_close(std::vector<float>(static_cast<const float*>(data), static_cast<const float*>(data) + 3),
              naive_small_cnn(x, 7), 1e-5f);
}

TEST_CASE("session reports errors for missing inputs, wrong sizes and early outputs") {
  const auto model = load(small_cnn_model());
  SessionOptions options;
  options.backend = rt::BackendKind::kReference;
  auto session = make_session(model->view(), options);
  const rt::Status not_set = session->run();
  CHECK(not_set.code() == rt::StatusCode::kInvalidArgument);
  CHECK(not_set.message().find("input 0 'x' has not been set") != std::string::npos);
  const void* data = nullptr;
  size_t bytes = 0;
  CHECK(session->output(0, &data, &bytes).code() == rt::StatusCode::kInvalidArgument);
  std::vector<float> small(5);
  const rt::Status wrong = session->set_input(0, small.data(), small.size() * 4);
  CHECK(wrong.message().find("needs 768 bytes, got 20") != std::string::npos);
  CHECK(session->set_input(1, small.data(), 20).code() == rt::StatusCode::kInvalidArgument);
  CHECK(session->output(3, &data, &bytes).code() == rt::StatusCode::kInvalidArgument);
  options.num_threads = -2;
  std::unique_ptr<Session> bad;
  CHECK(Session::create(model->view(), options, &bad).code() == rt::StatusCode::kInvalidArgument);
}

TEST_CASE("session profiling counts runs per operator and block") {
  const auto model = load(small_cnn_model());
  SessionOptions options;
  options.backend = rt::BackendKind::kReference;
  options.profiling = true;
  auto session = make_session(model->view(), options);
  const auto x = seeded_values(3 * 64, 1, 1.0f);
  for (int r = 0; r < 3; ++r) run_once(*session, {x});
  REQUIRE(session->op_profile().size() == 6);
  REQUIRE(session->block_profile().size() == 2);
  uint64_t op_sum = 0;
  for (const auto& c : session->op_profile()) {
    CHECK(c.runs == 3);
    op_sum += c.total_ns;
  }
  uint64_t block_sum = 0;
  for (const auto& c : session->block_profile()) {
    CHECK(c.runs == 3);
    block_sum += c.total_ns;
  }
  CHECK(block_sum == op_sum);  // blocks are sums of their operators
  session->reset_profile();
  CHECK(session->op_profile()[0].runs == 0);
}

TEST_CASE("session uses a caller-supplied arena of the required size") {
  const auto model = load(small_cnn_model(3));
  SessionOptions options;
  options.backend = rt::BackendKind::kReference;
  size_t need = 0;
  REQUIRE(Session::required_arena_bytes(model->view(), options, &need).ok());
  CHECK(need > 0);
  AlignedBytes arena(std::vector<uint8_t>(need, 0));
  options.arena = arena.data();
  options.arena_size = need - 1;
  std::unique_ptr<Session> session;
  const rt::Status too_small = Session::create(model->view(), options, &session);
  CHECK(too_small.code() == rt::StatusCode::kInvalidArgument);
  CHECK(too_small.message().find("needs " + std::to_string(need)) != std::string::npos);
  options.arena_size = need;
  session = make_session(model->view(), options);
  CHECK(session->arena_bytes() == need);
  const auto x = seeded_values(3 * 64, 5, 1.0f);
  check_close(run_once(*session, {x}), naive_small_cnn(x, 3), 1e-5f);
}

// An NHWC backend for the conversion tests: runs the reference kernels of
// operators whose result does not depend on the memory order of their
// operands (unary activations, SQRT, same-shape ADD), so the session's NCHW<->NHWC
// conversions are the only thing that can make the result differ.
// With `preferred`, it also claims to be preferred_for() that operator type.
class NhwcElementwiseBackend final : public rt::Backend {
 public:
  explicit NhwcElementwiseBackend(std::string name = "nhwc-elementwise", int preferred = -1)
      : name_(std::move(name)), preferred_(preferred) {}
  std::string_view name() const override { return name_; }
  rt::Layout layout() const override { return rt::Layout::kNHWC; }
  bool preferred_for(const rt::ModelView& model, int op) const override {
    return static_cast<int>(model.op(op).opcode) == preferred_;
  }
  bool supports(const rt::ModelView& model, int op) const override {
    const auto& info = model.op(op);
    if (info.opcode == fb::OpCode::RELU || info.opcode == fb::OpCode::TANH || info.opcode == fb::OpCode::SQRT)
      return true;
    if (info.opcode != fb::OpCode::ADD) return false;
    const auto& a = model.tensor(info.inputs[0]);
    const auto& b = model.tensor(info.inputs[1]);
    return a.rank == b.rank && std::equal(a.dims.begin(), a.dims.begin() + a.rank, b.dims.begin());
  }
  rt::Status create_kernel(const rt::ModelView& model, int op, const rt::ExecutionContext& context,
                           std::unique_ptr<rt::Kernel>* kernel) override {
    return reference_->create_kernel(model, op, context, kernel);
  }

 private:
  std::string name_;
  int preferred_;
  std::unique_ptr<rt::Backend> reference_ = rt::make_reference_backend();
};

// Conv (NCHW) -> relu (NHWC) -> tanh (NHWC, output) -> add const (NHWC) ->
// convs (NCHW) -> add (NHWC, output).
std::vector<uint8_t> mixed_layout_model() {
  ModelBuilder b;
  auto& f = b.fbb();
  using O = fb::OperatorOptions;
  const int x = b.add_input("x", {1, 3, 5, 5});
  const int w1 = b.add_constant("w1", {4, 3, 3, 3}, seeded_values(108, 11));
  const int c1 = b.add_tensor("c1", {1, 4, 5, 5});
  b.add_op(fb::OpCode::CONV_2D, {x, w1, -1}, {c1}, O::Conv2DOptions,
           fb::CreateConv2DOptions(f, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1).Union(), "conv1");
  const int r1 = b.add_tensor("r1", {1, 4, 5, 5});
  b.add_op(fb::OpCode::RELU, {c1}, {r1}, O::NONE, 0, "relu");
  const int t1 = b.add_tensor("t1", {1, 4, 5, 5});
  b.add_op(fb::OpCode::TANH, {r1}, {t1}, O::NONE, 0, "tanh");
  const int k = b.add_constant("k", {1, 4, 5, 5}, seeded_values(100, 12));
  const int a1 = b.add_tensor("a1", {1, 4, 5, 5});
  b.add_op(fb::OpCode::ADD, {t1, k}, {a1}, O::BinaryOptions, fb::CreateBinaryOptions(f).Union(), "add_k");
  const int w2 = b.add_constant("w2", {2, 4, 1, 1}, seeded_values(8, 13));
  const int c2 = b.add_tensor("c2", {1, 2, 5, 5});
  b.add_op(fb::OpCode::CONV_2D, {r1, w2, -1}, {c2}, O::Conv2DOptions, fb::CreateConv2DOptions(f, 1, 1).Union(),
           "conv2");
  const int w3 = b.add_constant("w3", {2, 4, 1, 1}, seeded_values(8, 14));
  const int c3 = b.add_tensor("c3", {1, 2, 5, 5});
  b.add_op(fb::OpCode::CONV_2D, {a1, w3, -1}, {c3}, O::Conv2DOptions, fb::CreateConv2DOptions(f, 1, 1).Union(),
           "conv3");
  const int y = b.add_tensor("y", {1, 2, 5, 5});
  b.add_op(fb::OpCode::ADD, {c2, c3}, {y}, O::BinaryOptions, fb::CreateBinaryOptions(f).Union(), "add_out");
  b.mark_output(y);
  b.mark_output(t1);
  return b.finish();
}

TEST_CASE("session converts layouts between NCHW and NHWC operators") {
  const auto model = load(mixed_layout_model());
  auto reference = session_on(model->view());
  auto mixed = session_on(model->view(), std::make_unique<NhwcElementwiseBackend>());

  // relu, tanh, add_k, add_out on NHWC; three convs on NCHW.
  CHECK(std::string(mixed->op_backend_name(1)) == "nhwc-elementwise");
  CHECK(std::string(mixed->op_backend_name(4)) == "reference");
  size_t before = 0, after = 0, constant_copies = 0;
  for (const auto& op : mixed->plan().ops()) {
    before += op.before.size();
    after += op.after.size();
  }
  for (const auto& slot : mixed->plan().slots()) constant_copies += slot.place == rt::Slot::Place::kConstantCopy;
  CHECK(before == 5);  // c1 -> NHWC, r1 -> NCHW, a1 -> NCHW, c2 and c3 -> NHWC
  CHECK(after == 2);   // outputs y and t1 back to NCHW
  CHECK(constant_copies == 1);

  const auto x = seeded_values(75, 21, 1.0f);
  for (size_t out = 0; out < 2; ++out) {
    const auto expected = run_once(*reference, {x}, out);
    const auto got = run_once(*mixed, {x}, out);
    check_close(got, expected, 0.0f);
  }
}

// x [2,3,4,5] -> SQRT -> s; s x w (constant [5,6]) -> y [2,3,4,6], and
// s x b (graph input [3,5,2], broadcast over the leading batch dim) ->
// z [2,3,4,2]: the runtime 0.2.0 opcodes. SQRT may run in NHWC; BATCH_MATMUL
// on rank-4 operands must see them in logical order.
std::vector<uint8_t> sqrt_matmul_model() {
  ModelBuilder b;
  const int x = b.add_input("x", {2, 3, 4, 5});
  const int rhs = b.add_input("b", {3, 5, 2});
  const int s = b.add_tensor("s", {2, 3, 4, 5});
  b.add_op(fb::OpCode::SQRT, {x}, {s}, fb::OperatorOptions::NONE, 0, "sqrt");
  const int w = b.add_constant("w", {5, 6}, seeded_values(30, 31));
  const int y = b.add_tensor("y", {2, 3, 4, 6});
  b.add_op(fb::OpCode::BATCH_MATMUL, {s, w}, {y}, fb::OperatorOptions::NONE, 0, "matmul_w");
  const int z = b.add_tensor("z", {2, 3, 4, 2});
  b.add_op(fb::OpCode::BATCH_MATMUL, {s, rhs}, {z}, fb::OperatorOptions::NONE, 0, "matmul_b");
  b.mark_output(y);
  b.mark_output(z);
  return b.finish(1, 200);
}

TEST_CASE("rank-4 BATCH_MATMUL stays in logical order next to NHWC operators") {
  const auto model = load(sqrt_matmul_model());
  auto x = seeded_values(120, 32, 4.0f);
  for (float& v : x) v = std::fabs(v);  // SQRT of non-negative values: no NaN to compare
  const auto rhs = seeded_values(30, 33, 1.0f);
  auto reference = session_on(model->view());
  std::vector<std::vector<float>> expected;
  for (size_t out = 0; out < 2; ++out) expected.push_back(run_once(*reference, {x, rhs}, out));

  auto mixed = session_on(model->view(), std::make_unique<NhwcElementwiseBackend>());
  CHECK(std::string(mixed->op_backend_name(0)) == "nhwc-elementwise");
  CHECK(std::string(mixed->op_backend_name(1)) == "reference");
  for (size_t out = 0; out < 2; ++out) check_close(run_once(*mixed, {x, rhs}, out), expected[out], 0.0f);

  for (rt::BackendKind kind : rt::optimized_backends()) {
    CAPTURE(rt::backend_kind_name(kind));
    SessionOptions options;
    options.backend = kind;
    options.num_threads = 2;
    auto session = make_session(model->view(), options);
    CHECK(std::string(session->op_backend_name(1)) == "reference");
    for (size_t out = 0; out < 2; ++out) check_close(run_once(*session, {x, rhs}, out), expected[out], 1e-5f);
  }
}

TEST_CASE("optimized backends agree with the reference backend") {
  const auto model = load(small_cnn_model(5));
  const auto x = seeded_values(3 * 64, 8, 1.0f);
  const auto expected = naive_small_cnn(x, 5);
  for (rt::BackendKind kind : rt::optimized_backends()) {
    CAPTURE(rt::backend_kind_name(kind));
    for (int threads : {1, 2}) {
      SessionOptions options;
      options.backend = kind;
      options.num_threads = threads;
      auto session = make_session(model->view(), options);
      check_close(run_once(*session, {x}), expected, 1e-4f);
    }
  }
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    SessionOptions options;  // AUTO
    options.num_threads = threads;
    auto session = make_session(model->view(), options);
    const std::string chosen = session->backend_name();
    CHECK(std::string(rt::available_backends()).find(chosen) != std::string::npos);
    CHECK(session->run().code() == rt::StatusCode::kInvalidArgument);  // no input yet
    check_close(run_once(*session, {x}), expected, 1e-4f);
    // Several threads: one optimized backend (plus reference fallbacks), so
    // two thread runtimes never take turns on the cores.
    std::set<std::string> used;
    for (size_t op = 0; op < model->view().operator_count(); ++op) {
      const std::string name = session->op_backend_name(static_cast<int>(op));
      if (name != "reference") used.insert(name);
    }
    if (threads > 1) CHECK(used.size() <= 1);
  }
}

TEST_CASE("operators go to a backend that prefers them, else to the first that supports them") {
  const auto model = load(mixed_layout_model());
  auto reference = session_on(model->view());
  auto routed = session_on(model->view(), std::make_unique<NhwcElementwiseBackend>("first"),
                           std::make_unique<NhwcElementwiseBackend>("adds", static_cast<int>(fb::OpCode::ADD)));
  const char* expected[] = {"reference", "first", "first", "adds", "reference", "reference", "adds"};
  REQUIRE(model->view().operator_count() == 7);
  for (int op = 0; op < 7; ++op) CHECK(std::string(routed->op_backend_name(op)) == expected[op]);
  const auto x = seeded_values(75, 22, 1.0f);
  for (size_t out = 0; out < 2; ++out) check_close(run_once(*routed, {x}, out), run_once(*reference, {x}, out), 0.0f);

  // A preference alone does not route: the backend must also support the operator.
  auto unsupported = session_on(
      model->view(), std::make_unique<NhwcElementwiseBackend>("convs", static_cast<int>(fb::OpCode::CONV_2D)));
  CHECK(std::string(unsupported->op_backend_name(0)) == "reference");
}

TEST_CASE("model cost counts the multiply-adds of weighted operators") {
  const auto model = load(small_cnn_model());
  const rt::ModelView& view = model->view();
  CHECK(rt::operator_macs(view, 0) == 8 * 8 * 4 * 3 * 3 * 3);  // conv: 64 positions x 108 weights
  CHECK(rt::operator_macs(view, 1) == 0);                      // max pool
  CHECK(rt::operator_macs(view, 4) == 3 * 4);                  // fully connected
  CHECK(rt::mean_macs_per_operator(view) == doctest::Approx((6912.0 + 12.0) / 6.0));
}

// A session's idle workers block instead of spinning: the process uses
// (almost) no CPU while it waits after a multi-threaded run. The check can
// fail: with OMP_WAIT_POLICY=ACTIVE oneDNN's OpenMP workers spin and it
// measures 0.3 s.
TEST_CASE("idle pool workers do not spin after a run") {
  const auto model = load(small_cnn_model(4));
  const auto x = seeded_values(3 * 64, 9, 1.0f);
  std::vector<rt::BackendKind> kinds{rt::BackendKind::kReference};
  for (rt::BackendKind kind : rt::optimized_backends()) kinds.push_back(kind);
  for (rt::BackendKind kind : kinds) {
    const std::string backend = rt::backend_kind_name(kind);
    CAPTURE(backend);
    SessionOptions options;
    options.backend = kind;
    options.num_threads = 2;
    auto session = make_session(model->view(), options);
    for (int i = 0; i < 20; ++i) run_once(*session, {x});
    const double before = process_cpu_seconds();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const double idle_cpu = process_cpu_seconds() - before;
    // Spinning workers would burn 2 x 300 ms here; blocked ones burn ~0.
    CHECK_MESSAGE(idle_cpu < 0.1, "CPU seconds used while idle: " << idle_cpu);
  }
}

TEST_CASE("requesting a backend this build lacks is reported") {
  const auto model = load(small_cnn_model());
  for (rt::BackendKind kind : {rt::BackendKind::kXnnpack, rt::BackendKind::kOnednn}) {
    if (rt::make_backend(kind) != nullptr) continue;
    SessionOptions options;
    options.backend = kind;
    std::unique_ptr<Session> session;
    const rt::Status s = Session::create(model->view(), options, &session);
    CHECK(s.code() == rt::StatusCode::kUnsupported);
    CHECK(s.message().find("is not available") != std::string::npos);
  }
}

}  // namespace
}  // namespace bespoke::test
