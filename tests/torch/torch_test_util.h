// Shared by the LibTorch bridge tests: the runtime's reference backend as the
// independent reference (the graph written to .bspk in memory, run through
// the C API by the end-to-end harness), conversions between at::Tensor and
// the harness's FloatTensor, and tolerance checks with readable messages.
// (Tensor arithmetic operators come with it, for the tests' own expectations.)
#pragma once

#include <ATen/TensorOperators.h>
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "harness/compare.h"
#include "harness/float_tensor.h"
#include "ir/graph.h"
#include "torch_bridge/graph_module.h"

namespace bespoke::test::libtorch {

test::e2e::FloatTensor to_float_tensor(const at::Tensor& t);
at::Tensor from_float_tensor(const test::e2e::FloatTensor& t);
// A float tensor of `shape` with seeded values uniform in [-1, 1).
at::Tensor random_tensor(const std::vector<int64_t>& shape, uint32_t seed);

// Outputs of `g` on the reference backend; fails the test (with the
// runtime's message) if the graph cannot be written or run.
std::vector<at::Tensor> run_reference(const ir::Graph& g, const std::vector<at::Tensor>& inputs, int threads = 1);

// Eval-mode, no-grad outputs of a GraphModule of `g`.
std::vector<at::Tensor> run_module(const ir::Graph& g, const std::vector<at::Tensor>& inputs);

// CHECKs numpy.isclose(actual, expected, rtol, atol) for every element, with
// `what` and the worst element in the message; returns whether it held.
bool check_close(const at::Tensor& actual, const at::Tensor& expected, const std::string& what,
                 test::e2e::Tolerance tolerance = {});

// Builds a GraphModule of `g` (eval mode), runs it and the reference backend
// on `inputs`, check_close()s every output, then check_gradients_flow().
void check_module_matches_reference(const ir::Graph& g, const std::vector<at::Tensor>& inputs, const std::string& what,
                                    test::e2e::Tolerance tolerance = {});

// Backpropagates the sum of the module's outputs on `inputs` and CHECKs that
// every input and every parameter receives a finite gradient: each op is
// differentiable as implemented.
void check_gradients_flow(torchbridge::GraphModule& module, const std::vector<at::Tensor>& inputs,
                          const std::string& what);

}  // namespace bespoke::test::libtorch
