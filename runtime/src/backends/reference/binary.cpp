// ADD, SUB, MUL, DIV with numpy broadcasting (ranks up to kMaxRank, operands
// right-aligned to the output, size-1 dims broadcast) and a fused activation.
//
// The output is walked row by row (StridedShape, coalesced) with per-operand
// offsets; the innermost loop has a contiguous fast path for the common
// "same shape" and "one operand constant along the row" cases.
#include <algorithm>

#include "backends/reference/activation.h"
#include "backends/reference/broadcast.h"
#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"
#include "backends/reference/strided_shape.h"

namespace bespoke::rt::reference {
namespace {

struct AddOp {
  float operator()(float a, float b) const { return a + b; }
};
struct SubOp {
  float operator()(float a, float b) const { return a - b; }
};
struct MulOp {
  float operator()(float a, float b) const { return a * b; }
};
struct DivOp {
  float operator()(float a, float b) const { return a / b; }
};

enum Operand { kOut = 0, kA = 1, kB = 2 };

template <typename Op>
class BinaryKernel final : public ReferenceKernel {
 public:
  explicit BinaryKernel(const OperatorRef& op) : ReferenceKernel(op), activation_(activation_of(op)) {
    const TensorInfo& out = op.output(0);
    shape_.rank = out.rank;
    shape_.dims = out.dims;
    shape_.strides[kOut] = contiguous_strides(out.dims, out.rank);
    shape_.strides[kA] = broadcast_strides(op.input(0), op.input(0).rank, out.rank);
    shape_.strides[kB] = broadcast_strides(op.input(1), op.input(1).rank, out.rank);
    if (shape_.rank == 0) {  // scalars
      shape_.rank = 1;
      shape_.dims[0] = 1;
    }
    shape_.coalesce();
  }

  Status run() override {
    const int64_t inner = shape_.inner();
    const size_t tile = static_cast<size_t>(std::max<int64_t>(1, 4096 / inner));
    parallel_for_tiles(threadpool(), static_cast<size_t>(shape_.rows()), tile, [this, inner](size_t begin, size_t end) {
      std::array<int64_t, 3> offsets;
      for (size_t row = begin; row < end; ++row) {
        shape_.row_offsets(static_cast<int64_t>(row), offsets);
        float* out = output(0) + offsets[kOut];
        compute_row(input(0) + offsets[kA], shape_.inner_stride(kA), input(1) + offsets[kB], shape_.inner_stride(kB),
                    out, inner);
        activation_.apply(out, static_cast<size_t>(inner));
      }
    });
    return Status::Ok();
  }

 private:
  static const fb::FusedActivation* activation_of(const OperatorRef& op) {
    const fb::BinaryOptions* o = op.info().op->options_as_BinaryOptions();
    return o != nullptr ? o->activation() : nullptr;
  }

  // The output's inner stride is always 1 (contiguous, unit dims dropped).
  static void compute_row(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t count) {
    const Op op;
    if (sa == 1 && sb == 1) {
      for (int64_t i = 0; i < count; ++i) out[i] = op(a[i], b[i]);
    } else if (sa == 1 && sb == 0) {
      const float bv = *b;
      for (int64_t i = 0; i < count; ++i) out[i] = op(a[i], bv);
    } else if (sa == 0 && sb == 1) {
      const float av = *a;
      for (int64_t i = 0; i < count; ++i) out[i] = op(av, b[i]);
    } else {
      for (int64_t i = 0; i < count; ++i) out[i] = op(a[i * sa], b[i * sb]);
    }
  }

  FusedActivation activation_;
  StridedShape<3> shape_;
};

Status check_binary(const OperatorRef& op) {
  const fb::BinaryOptions* o = op.info().op->options_as_BinaryOptions();
  if (o != nullptr && !FusedActivation::is_known(o->activation())) return op_error(op, "unknown fused activation");
  const TensorInfo& a = op.input(0);
  const TensorInfo& b = op.input(1);
  std::vector<int64_t> out;
  if (!broadcast_leading_dims(a, a.rank, b, b.rank, &out))
    return op_error(op, "inputs " + shape_string(a) + " and " + shape_string(b) + " do not broadcast");
  return expect_shape(op, op.output(0), out, "output");
}

}  // namespace

Status supports_binary(const OperatorRef& op) { return check_binary(op); }

Status create_binary(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  switch (op.opcode()) {
    case fb::OpCode::ADD: return make_kernel<BinaryKernel<AddOp>>(op, exec, kernel);
    case fb::OpCode::SUB: return make_kernel<BinaryKernel<SubOp>>(op, exec, kernel);
    case fb::OpCode::MUL: return make_kernel<BinaryKernel<MulOp>>(op, exec, kernel);
    case fb::OpCode::DIV: return make_kernel<BinaryKernel<DivOp>>(op, exec, kernel);
    default: return op_error(op, "is not a binary operator");
  }
}

}  // namespace bespoke::rt::reference
