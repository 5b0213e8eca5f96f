// Element-wise unary operators: the activations RELU, CLIP, LEAKY_RELU,
// SIGMOID, HARD_SIGMOID, HARD_SWISH, SILU, TANH, and SQRT. Each is a small
// function object; one kernel template applies any of them over the tensor in
// parallel tiles.
#include <algorithm>
#include <cmath>

#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

struct Relu {
  explicit Relu(const fb::Operator&) {}
  float operator()(float x) const { return x < 0.0f ? 0.0f : x; }  // NaN passes through
};

struct Clip {
  explicit Clip(const fb::Operator& op)
      : min(op.options_as_ClipOptions()->min()), max(op.options_as_ClipOptions()->max()) {}
  float operator()(float x) const { return std::min(std::max(x, min), max); }
  float min, max;
};

struct LeakyRelu {
  explicit LeakyRelu(const fb::Operator& op) : alpha(op.options_as_LeakyReluOptions()->alpha()) {}
  float operator()(float x) const { return x >= 0.0f ? x : alpha * x; }
  float alpha;
};

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

struct Sigmoid {
  explicit Sigmoid(const fb::Operator&) {}
  float operator()(float x) const { return sigmoid(x); }
};

struct HardSigmoid {
  explicit HardSigmoid(const fb::Operator& op)
      : alpha(op.options_as_HardSigmoidOptions()->alpha()), beta(op.options_as_HardSigmoidOptions()->beta()) {}
  float operator()(float x) const { return std::max(0.0f, std::min(1.0f, alpha * x + beta)); }
  float alpha, beta;
};

// x * relu6(x + 3) / 6 (ONNX HardSwish, PyTorch hardswish).
struct HardSwish {
  explicit HardSwish(const fb::Operator&) {}
  float operator()(float x) const { return x * std::max(0.0f, std::min(6.0f, x + 3.0f)) / 6.0f; }
};

struct Silu {
  explicit Silu(const fb::Operator&) {}
  float operator()(float x) const { return x * sigmoid(x); }
};

struct Tanh {
  explicit Tanh(const fb::Operator&) {}
  float operator()(float x) const { return std::tanh(x); }
};

// NaN for x < 0 (std::sqrt), as ONNX Sqrt.
struct Sqrt {
  explicit Sqrt(const fb::Operator&) {}
  float operator()(float x) const { return std::sqrt(x); }
};

template <typename Function>
class UnaryKernel final : public ReferenceKernel {
 public:
  explicit UnaryKernel(const OperatorRef& op)
      : ReferenceKernel(op), function_(*op.info().op), count_(op.input(0).element_count) {}

  Status run() override {
    parallel_for_tiles(threadpool(), count_, 16384, [this](size_t begin, size_t end) {
      const float* in = input(0);
      float* out = output(0);
      for (size_t i = begin; i < end; ++i) out[i] = function_(in[i]);
    });
    return Status::Ok();
  }

 private:
  Function function_;
  size_t count_;
};

// Every unary operator keeps the input's shape.
Status check_unary(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  return expect_shape(op, op.output(0), std::vector<int64_t>(x.dims.begin(), x.dims.begin() + x.rank), "output");
}

}  // namespace

Status supports_unary(const OperatorRef& op) { return check_unary(op); }

Status create_unary(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  switch (op.opcode()) {
    case fb::OpCode::RELU: return make_kernel<UnaryKernel<Relu>>(op, exec, kernel);
    case fb::OpCode::CLIP: return make_kernel<UnaryKernel<Clip>>(op, exec, kernel);
    case fb::OpCode::LEAKY_RELU: return make_kernel<UnaryKernel<LeakyRelu>>(op, exec, kernel);
    case fb::OpCode::SIGMOID: return make_kernel<UnaryKernel<Sigmoid>>(op, exec, kernel);
    case fb::OpCode::HARD_SIGMOID: return make_kernel<UnaryKernel<HardSigmoid>>(op, exec, kernel);
    case fb::OpCode::HARD_SWISH: return make_kernel<UnaryKernel<HardSwish>>(op, exec, kernel);
    case fb::OpCode::SILU: return make_kernel<UnaryKernel<Silu>>(op, exec, kernel);
    case fb::OpCode::TANH: return make_kernel<UnaryKernel<Tanh>>(op, exec, kernel);
    case fb::OpCode::SQRT: return make_kernel<UnaryKernel<Sqrt>>(op, exec, kernel);
    default: return op_error(op, "is not a unary operator");
  }
}

}  // namespace bespoke::rt::reference
