#include "torch_test_util.h"

#include <ATen/core/grad_mode.h>
#include <ATen/ops/empty.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "export/bspk_writer.h"
#include "harness/bespoke_runner.h"
#include "support/graph_builder.h"
#include "torch_bridge/graph_module.h"

namespace bespoke::test::libtorch {

test::e2e::FloatTensor to_float_tensor(const at::Tensor& t) {
  const at::Tensor c = t.detach().to(at::kFloat).contiguous();
  test::e2e::FloatTensor out;
  out.shape.assign(c.sizes().begin(), c.sizes().end());
  out.values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  return out;
}

at::Tensor from_float_tensor(const test::e2e::FloatTensor& t) {
  at::Tensor out = at::empty(t.shape, at::TensorOptions().dtype(at::kFloat));
  std::copy(t.values.begin(), t.values.end(), out.data_ptr<float>());
  return out;
}

at::Tensor random_tensor(const std::vector<int64_t>& shape, uint32_t seed) {
  test::e2e::FloatTensor t;
  t.shape = shape;
  t.values = test::random_floats(static_cast<size_t>(test::e2e::element_count(shape)), seed);
  return from_float_tensor(t);
}

namespace {

// Workaround: the reference backend's CONV_2D / CONV_TRANSPOSE_2D /
// FULLY_CONNECTED kernels read input 2 (bias) even when the operator lists
// only two inputs (out of bounds: crashes at random, e.g. on PP-OCR's
// bias-less convolutions). Listing the absent bias as -1 is the same model.
// Remove once runtime/src/backends/reference is fixed.
ir::Graph with_explicit_absent_bias(ir::Graph g) {
  for (ir::Node& n : g.nodes)
    if ((n.op == "Conv" || n.op == "ConvTranspose" || n.op == "FullyConnected") && n.inputs.size() == 2)
      n.inputs.push_back(-1);
  return g;
}

}  // namespace

std::vector<at::Tensor> run_reference(const ir::Graph& g, const std::vector<at::Tensor>& inputs, int threads) {
  const std::vector<uint8_t> bytes = exporter::write_bspk(with_explicit_absent_bias(g));
  bsp_status status = BSP_OK;
  std::string message;
  const test::e2e::ModelHandle model = test::e2e::load_model(bytes, &status, &message);
  REQUIRE_MESSAGE(model, message);
  std::vector<test::e2e::FloatTensor> feeds;
  for (const at::Tensor& t : inputs) feeds.push_back(to_float_tensor(t));
  const test::e2e::RunOutcome outcome =
      test::e2e::run_model(model.get(), {"reference", BSP_BACKEND_REFERENCE}, threads, feeds);
  REQUIRE_MESSAGE(outcome.status == test::e2e::RunStatus::kOk, outcome.message);
  std::vector<at::Tensor> out;
  for (const test::e2e::FloatTensor& t : outcome.outputs) out.push_back(from_float_tensor(t));
  return out;
}

std::vector<at::Tensor> run_module(const ir::Graph& g, const std::vector<at::Tensor>& inputs) {
  torchbridge::GraphModule module(g);
  const at::NoGradGuard no_grad;
  return module.forward(inputs);
}

bool check_close(const at::Tensor& actual, const at::Tensor& expected, const std::string& what,
                 test::e2e::Tolerance tolerance) {
  const test::e2e::Comparison c =
      test::e2e::compare_tensors(to_float_tensor(actual), to_float_tensor(expected), tolerance);
  CHECK_MESSAGE(c.ok, what << ": " << c.summary);
  return c.ok;
}

void check_module_matches_reference(const ir::Graph& g, const std::vector<at::Tensor>& inputs, const std::string& what,
                                    test::e2e::Tolerance tolerance) {
  torchbridge::GraphModule module(g);
  std::vector<at::Tensor> actual;
  {
    const at::NoGradGuard no_grad;
    actual = module.forward(inputs);
  }
  // The module's graph has its shapes inferred, which the writer needs.
  const std::vector<at::Tensor> expected = run_reference(module.graph(), inputs);
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i)
    check_close(actual[i], expected[i], what + " output " + std::to_string(i), tolerance);
  check_gradients_flow(module, inputs, what);
}

void check_gradients_flow(torchbridge::GraphModule& module, const std::vector<at::Tensor>& inputs,
                          const std::string& what) {
  std::vector<at::Tensor> leaves;
  for (const at::Tensor& t : inputs) leaves.push_back(t.detach().clone().requires_grad_(true));
  at::Tensor total;
  for (const at::Tensor& out : module.forward(leaves)) total = total.defined() ? total + out.sum() : out.sum();
  total.backward();
  auto finite = [](const at::Tensor& grad) { return grad.defined() && std::isfinite(grad.abs().max().item<float>()); };
  for (size_t i = 0; i < leaves.size(); ++i)
    CHECK_MESSAGE(finite(leaves[i].grad()), what << ": no finite gradient for input " << i);
  for (const auto& [name, parameter] : module.named_parameters())
    CHECK_MESSAGE(finite(parameter.grad()), what << ": no finite gradient for parameter '" << name << "'");
}

}  // namespace bespoke::test::libtorch
