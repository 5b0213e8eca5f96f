// Element-wise kernels: Add / Sub / Mul / Div (numpy broadcasting, optional
// fused activation), the activations and Sqrt, Softmax, and the fused activation
// shared with the layers.
#include <ATen/ops/hardswish.h>
#include <ATen/ops/leaky_relu.h>
#include <ATen/ops/silu.h>
#include <ATen/ops/softmax.h>

#include <limits>

#include "torch_bridge/node_kernel.h"

namespace bespoke::torchbridge {

FusedActivation::FusedActivation(const ir::Node& n) {
  const std::string kind = n.get_string("activation", "");
  if (kind.empty()) return;
  if (kind == "Relu" && !n.has("act_min") && !n.has("act_max")) {
    kind_ = Kind::kRelu;
    return;
  }
  // Clip, or a Relu whose bounds are given explicitly (kept as they are).
  kind_ = Kind::kClamp;
  min_ = n.get_float("act_min", kind == "Relu" ? 0.0 : -std::numeric_limits<double>::infinity());
  max_ = n.get_float("act_max", std::numeric_limits<double>::infinity());
}

at::Tensor FusedActivation::operator()(const at::Tensor& x) const {
  switch (kind_) {
    case Kind::kNone: return x;
    case Kind::kRelu: return x.relu();
    case Kind::kClamp: return x.clamp(min_, max_);
  }
  return x;
}

NodeKernel make_binary(const KernelSpec& spec) {
  using Combine = at::Tensor (*)(const at::Tensor&, const at::Tensor&);
  const std::string& op = spec.node.op;
  Combine combine = nullptr;
  if (op == "Add")
    combine = [](const at::Tensor& a, const at::Tensor& b) { return a.add(b); };
  else if (op == "Sub")
    combine = [](const at::Tensor& a, const at::Tensor& b) { return a.sub(b); };
  else if (op == "Mul")
    combine = [](const at::Tensor& a, const at::Tensor& b) { return a.mul(b); };
  else if (op == "Div")
    combine = [](const at::Tensor& a, const at::Tensor& b) { return a.div(b); };
  else
    spec.fail("not a binary op");
  const FusedActivation activation(spec.node);
  return [combine, activation](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return {activation(combine(in[0], in[1]))};
  };
}

NodeKernel make_activation(const KernelSpec& spec) {
  using Fn = std::function<at::Tensor(const at::Tensor&)>;
  const ir::Node& n = spec.node;
  Fn fn;
  if (n.op == "Relu") {
    fn = [](const at::Tensor& x) { return x.relu(); };
  } else if (n.op == "Sigmoid") {
    fn = [](const at::Tensor& x) { return x.sigmoid(); };
  } else if (n.op == "Tanh") {
    fn = [](const at::Tensor& x) { return x.tanh(); };
  } else if (n.op == "HardSwish") {
    fn = [](const at::Tensor& x) { return at::hardswish(x); };
  } else if (n.op == "SiLU") {
    fn = [](const at::Tensor& x) { return at::silu(x); };
  } else if (n.op == "Sqrt") {
    fn = [](const at::Tensor& x) { return x.sqrt(); };
  } else if (n.op == "Clip") {
    const double lo = n.get_float("min", -std::numeric_limits<double>::infinity());
    const double hi = n.get_float("max", std::numeric_limits<double>::infinity());
    fn = [lo, hi](const at::Tensor& x) { return x.clamp(lo, hi); };
  } else if (n.op == "LeakyRelu") {
    const double alpha = n.get_float("alpha", 0.01);
    fn = [alpha](const at::Tensor& x) { return at::leaky_relu(x, alpha); };
  } else if (n.op == "HardSigmoid") {
    // ONNX: max(0, min(1, alpha * x + beta)); PyTorch's hardsigmoid fixes alpha = 1/6, beta = 1/2.
    const double alpha = n.get_float("alpha", 0.2), beta = n.get_float("beta", 0.5);
    fn = [alpha, beta](const at::Tensor& x) { return x.mul(alpha).add(beta).clamp(0.0, 1.0); };
  } else {
    spec.fail("not an activation");
  }
  return [fn](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> { return {fn(in[0])}; };
}

NodeKernel make_softmax(const KernelSpec& spec) {
  const int64_t axis = spec.node.get_int("axis", -1);
  return [axis](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return {at::softmax(in[0], axis)};
  };
}

}  // namespace bespoke::torchbridge
