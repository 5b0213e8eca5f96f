// PAD with a constant -> xnn_create_constant_pad_nd_x32, with the begin/end
// pads permuted to NHWC for rank-4 tensors.
#include <array>

#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {

bool supports_pad(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_PadOptions();
  if (o == nullptr || o->pads() == nullptr || !op.all_float32() || op.info().inputs.empty() || !op.has_input(0)) {
    return false;
  }
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank < 1 || x.rank > XNN_MAX_TENSOR_DIMS || y.rank != x.rank || x.is_constant() ||
      o->pads()->size() != static_cast<flatbuffers::uoffset_t>(2 * x.rank)) {
    return false;
  }
  for (int d = 0; d < x.rank; ++d) {
    const int64_t begin = o->pads()->Get(static_cast<flatbuffers::uoffset_t>(d));
    const int64_t end = o->pads()->Get(static_cast<flatbuffers::uoffset_t>(d + x.rank));
    if (begin < 0 || end < 0 || x.dim(d) + begin + end != y.dim(d)) return false;
  }
  return true;
}

Status create_pad(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto& o = *op.info().op->options_as_PadOptions();
  const TensorInfo& x = op.input(0);
  const int rank = x.rank;
  const Shape input_shape = memory_shape(x);
  std::array<size_t, kMaxRank> before{}, after{};
  for (int d = 0; d < rank; ++d) {
    const auto position = static_cast<size_t>(memory_position(rank, d));
    before[position] = static_cast<size_t>(o.pads()->Get(static_cast<flatbuffers::uoffset_t>(d)));
    after[position] = static_cast<size_t>(o.pads()->Get(static_cast<flatbuffers::uoffset_t>(d + rank)));
  }
  const float value = o.value();

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_constant_pad_nd_x32",
                   xnn_setup_constant_pad_nd_x32(k.op(0), static_cast<size_t>(rank), input_shape.dims.data(),
                                                 before.data(), after.data(), in[0], out[0], k.threadpool()));
  });
  // XNNPACK copies the 32-bit padding value at creation.
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_constant_pad_nd_x32", [&](xnn_operator_t* created) {
    return xnn_create_constant_pad_nd_x32(&value, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
