// Resize (opset 10: X, scales; 11+: X, roi, scales, sizes) and Upsample
// (opset 9: X, scales) -> canonical Resize of the spatial dims of an NCHW
// tensor with every mode attribute explicit.
#include <cmath>
#include <set>

#include "ir/op_params.h"
#include "onnx_import/legalize_rules.h"

namespace bespoke::onnx_import::detail {

namespace {

const std::set<std::string> kCoordinateModes = {"half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"};
const std::set<std::string> kNearestModes = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};

// Opset-10 Resize and Upsample round nearest source coordinates down when
// enlarging and up when shrinking (what ONNX Runtime does for them).
std::string legacy_nearest_mode(Rewriter& rw, const std::vector<double>& spatial_scales) {
  bool shrinks = false, grows = false;
  for (double s : spatial_scales) {
    shrinks = shrinks || s < 1.0;
    grows = grows || s > 1.0;
  }
  if (shrinks && grows) rw.fail("nearest resize that enlarges one axis and shrinks the other is not supported");
  return shrinks ? "ceil" : "floor";
}

void legalize_resize(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  if (x.size() != 4) rw.fail("only 4-D (NCHW) inputs are supported, input has shape " + ir::shape_string(x));
  const bool legacy = n.op == "Upsample" || rw.opset() < 11;

  std::string mode = n.get_string("mode", "nearest");
  if (mode == "bilinear") mode = "linear";
  if (mode != "nearest" && mode != "linear") rw.fail("mode '" + mode + "' is not supported (nearest, linear)");

  auto scales = rw.float_param("scales", legacy ? 1 : 2);
  auto sizes = legacy ? std::nullopt : rw.int_param("sizes", 3);
  if (scales && scales->empty()) scales.reset();  // opset 11/12 pass an empty tensor for "not given"
  if (sizes && sizes->empty()) sizes.reset();
  if (!scales && !sizes) rw.fail("neither scales nor sizes is given");
  if (scales && sizes) rw.fail("scales and sizes are both given");

  ir::Shape y = x;
  std::vector<double> spatial_scales{0.0, 0.0};  // 0: derived from the shapes (sizes given)
  if (scales) {
    if (scales->size() != 4) rw.fail(std::to_string(scales->size()) + " scales for a 4-D input");
    if ((*scales)[0] != 1.0 || (*scales)[1] != 1.0) rw.fail("only the spatial (H, W) dims can be resized");
    for (size_t i = 2; i < 4; ++i) {
      const double s = (*scales)[i];
      if (!(s > 0.0)) rw.fail("scales must be positive");
      y[i] = static_cast<int64_t>(std::floor(static_cast<double>(x[i]) * s));
      spatial_scales[i - 2] = s;
    }
  } else {
    if (sizes->size() != 4) rw.fail(std::to_string(sizes->size()) + " sizes for a 4-D input");
    if ((*sizes)[0] != x[0] || (*sizes)[1] != x[1]) rw.fail("only the spatial (H, W) dims can be resized");
    y = *sizes;
  }
  for (int64_t d : y)
    if (d <= 0) rw.fail("the output would be empty: " + ir::shape_string(y));

  std::string coordinates = "asymmetric";
  std::string nearest;
  if (legacy) {
    nearest = legacy_nearest_mode(rw, spatial_scales);
  } else {
    coordinates = n.get_string("coordinate_transformation_mode", "half_pixel");
    nearest = n.get_string("nearest_mode", "round_prefer_floor");
    if (!kCoordinateModes.count(coordinates))
      rw.fail("coordinate_transformation_mode '" + coordinates + "' is not supported");
    if (!kNearestModes.count(nearest)) rw.fail("nearest_mode '" + nearest + "' is not supported");
  }

  ir::Node c = rw.canonical("Resize");
  c.inputs.resize(1);
  c.attrs["mode"] = mode;
  c.attrs["coordinate_transformation_mode"] = coordinates;
  c.attrs["nearest_mode"] = nearest;
  c.attrs["scales"] = spatial_scales;
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

}  // namespace

void add_resize_rules(RuleTable& rules) {
  rules["Resize"] = legalize_resize;
  rules["Upsample"] = legalize_resize;
}

}  // namespace bespoke::onnx_import::detail
