// RESIZE (bilinear) -> xnn_create_resize_bilinear2d_nhwc_f32.
//
// XNNPACK derives the scale from the shapes (input / output) and clamps the
// source coordinate to the input, like ONNX linear resize. Its flags map to
// the coordinate transforms as follows (checked against ONNX formulas):
//   none                          -> half_pixel: (x + 0.5) * in/out - 0.5
//   XNN_FLAG_ALIGN_CORNERS        -> align_corners: x * (in-1)/(out-1), 0 if out == 1
//   XNN_FLAG_TENSORFLOW_LEGACY_MODE -> asymmetric: x * in/out
// pytorch_half_pixel equals half_pixel except for an output length of 1.
// A producer scale that differs from out/in changes the coordinates, so only
// scales equal to out/in (or 0, "from the shapes") are supported. Nearest
// resizing has no XNNPACK operator; whole-factor repetition is done with
// copies (resize_nearest.h), anything else is left to another backend.
#include <cmath>

#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/resize_nearest.h"

namespace bespoke::rt::xnnpack {
namespace {

bool scale_matches(float scale, int64_t input, int64_t output) {
  if (scale == 0.0f) return true;
  const double expected = static_cast<double>(output) / static_cast<double>(input);
  return std::fabs(static_cast<double>(scale) - expected) <= 1e-6 * expected;
}

}  // namespace

bool supports_resize(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_ResizeOptions();
  if (o == nullptr || !op.all_float32() || op.info().inputs.empty() || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || y.rank != 4 || x.dim(0) != y.dim(0) || x.dim(1) != y.dim(1)) return false;
  if (o->mode() == fb::ResizeMode::NEAREST) return nearest_repeat_supported(op);
  if (o->mode() != fb::ResizeMode::LINEAR) return false;
  switch (o->coordinate_transform()) {
    case fb::CoordinateTransform::ALIGN_CORNERS:
      // XNNPACK divides by (out - 1); ONNX by (in * scale - 1): equal only when the scale is out / in.
      return scale_matches(o->scale_h(), x.dim(2), y.dim(2)) && scale_matches(o->scale_w(), x.dim(3), y.dim(3));
    case fb::CoordinateTransform::PYTORCH_HALF_PIXEL:
      if (y.dim(2) == 1 || y.dim(3) == 1) return false;
      [[fallthrough]];
    case fb::CoordinateTransform::HALF_PIXEL:
    case fb::CoordinateTransform::ASYMMETRIC:
      return scale_matches(o->scale_h(), x.dim(2), y.dim(2)) && scale_matches(o->scale_w(), x.dim(3), y.dim(3));
  }
  return false;
}

Status create_resize(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto& o = *op.info().op->options_as_ResizeOptions();
  if (o.mode() == fb::ResizeMode::NEAREST) return create_nearest_repeat_kernel(op, exec, kernel);
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  uint32_t flags = 0;
  if (o.coordinate_transform() == fb::CoordinateTransform::ALIGN_CORNERS) flags = XNN_FLAG_ALIGN_CORNERS;
  if (o.coordinate_transform() == fb::CoordinateTransform::ASYMMETRIC) flags = XNN_FLAG_TENSORFLOW_LEGACY_MODE;
  const size_t batch = static_cast<size_t>(x.dim(0)), channels = static_cast<size_t>(x.dim(1));
  const size_t in_h = static_cast<size_t>(x.dim(2)), in_w = static_cast<size_t>(x.dim(3));
  const size_t out_h = static_cast<size_t>(y.dim(2)), out_w = static_cast<size_t>(y.dim(3));

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_resize_bilinear2d_nhwc_f32",
                   xnn_setup_resize_bilinear2d_nhwc_f32(k.op(0), batch, in_h, in_w, out_h, out_w, as_floats(in[0]),
                                                        as_floats(out[0]), k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_resize_bilinear2d_nhwc_f32", [&](xnn_operator_t* created) {
    return xnn_create_resize_bilinear2d_nhwc_f32(channels, channels, channels, flags, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
