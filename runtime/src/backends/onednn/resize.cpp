// RESIZE of NHWC images with oneDNN resampling, only where oneDNN's
// coordinate rule gives exactly the schema's result. oneDNN maps output
// index o to the source coordinate x = (o + 0.5) * in / out - 0.5 (ONNX
// half_pixel with scale = out / in); linear interpolates the two neighbours
// clamped to the edge (as ONNX does), nearest takes roundf(x).
//
// Per spatial dim, accepted when the producer's scale is 0 or out / in, and:
//  * in == out: identity, whatever the transform and rounding;
//  * LINEAR with HALF_PIXEL, or PYTORCH_HALF_PIXEL when out > 1 (it differs
//    from half_pixel only for out == 1);
//  * NEAREST upsampling by an integer factor k: with HALF_PIXEL /
//    PYTORCH_HALF_PIXEL the fractional part of x stays within
//    +-(0.5 - 0.5/k), so ROUND_PREFER_FLOOR / _CEIL both pick floor(o / k),
//    as does ASYMMETRIC (x = o / k) with FLOOR — oneDNN's answer.
// Everything else (ALIGN_CORNERS, downsampling nearest, where ties make the
// rounding mode matter, ...) goes to another backend.
#include <cmath>

#include "backends/onednn/attributes.h"
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"

namespace bespoke::rt::onednn {
namespace {

bool scale_matches(float scale, int64_t in, int64_t out) {
  if (scale == 0.0f) return true;
  const double ratio = static_cast<double>(out) / static_cast<double>(in);
  return std::isfinite(scale) && std::fabs(static_cast<double>(scale) - ratio) <= 1e-6 * ratio;
}

bool dim_supported(const fb::ResizeOptions& options, float scale, int64_t in, int64_t out) {
  if (!scale_matches(scale, in, out)) return false;
  if (in == out) return true;
  const fb::CoordinateTransform transform = options.coordinate_transform();
  const bool half_pixel = transform == fb::CoordinateTransform::HALF_PIXEL ||
                          (transform == fb::CoordinateTransform::PYTORCH_HALF_PIXEL && out > 1);
  if (options.mode() == fb::ResizeMode::LINEAR) return half_pixel;
  if (options.mode() != fb::ResizeMode::NEAREST || out % in != 0) return false;
  const fb::NearestRounding rounding = options.nearest_rounding();
  if (half_pixel)
    return rounding == fb::NearestRounding::ROUND_PREFER_FLOOR || rounding == fb::NearestRounding::ROUND_PREFER_CEIL;
  return transform == fb::CoordinateTransform::ASYMMETRIC && rounding == fb::NearestRounding::FLOOR;
}

}  // namespace

bool supports_resize(const OperatorRef& op) {
  const fb::ResizeOptions* options = op.info().op->options_as_ResizeOptions();
  if (options == nullptr || op.input_count() < 1 || op.output_count() != 1 || !op.has_input(0)) return false;
  for (size_t i = 1; i < op.input_count(); ++i)
    if (op.has_input(i)) return false;  // the schema's RESIZE has one input; anything else is unknown
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || y.rank != 4 || x.dim(0) != y.dim(0) || x.dim(1) != y.dim(1)) return false;
  return dim_supported(*options, options->scale_h(), x.dim(2), y.dim(2)) &&
         dim_supported(*options, options->scale_w(), x.dim(3), y.dim(3));
}

Status create_resize(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const fb::ResizeOptions& options = *op.info().op->options_as_ResizeOptions();
  dnnl_memory_desc_t src, dst;
  BSP_RETURN_IF_ERROR(stored_desc(op.input(0), &src));
  BSP_RETURN_IF_ERROR(stored_desc(op.output(0), &dst));
  const dnnl_alg_kind_t algorithm =
      options.mode() == fb::ResizeMode::LINEAR ? dnnl_resampling_linear : dnnl_resampling_nearest;
  dnnl_resampling_desc_t desc;
  // No factors: oneDNN derives them from the dims, which supports_resize() checked against the producer's scales.
  BSP_DNNL_CHECK(dnnl_resampling_forward_desc_init(&desc, dnnl_forward_inference, algorithm, nullptr, &src, &dst));
  return create_single_primitive_kernel(op, env, &desc, {}, src, dst, kernel);
}

}  // namespace bespoke::rt::onednn
