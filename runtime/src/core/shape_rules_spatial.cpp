// Shape rules of the NCHW image operators: convolution, transposed
// convolution, pooling, global pooling, resize, channel shuffle, batch norm.
// All arithmetic is in int64 from int32 fields, so it cannot overflow.
#include <cmath>
#include <string>

#include "core/shape_rules.h"

namespace bespoke::rt::verify {
namespace {

// The parameters shared by convolutions and pooling along one spatial axis.
struct Window {
  const char* axis;  // "h" or "w"
  int64_t kernel, stride, dilation, pad_begin, pad_end;
};

Status check_window_params(const OpCheck& check, const Window& w) {
  const std::string a = w.axis;
  if (w.kernel < 1) return check.fail("kernel_" + a + " is " + std::to_string(w.kernel) + ", must be >= 1");
  if (w.stride < 1) return check.fail("stride_" + a + " is " + std::to_string(w.stride) + ", must be >= 1");
  if (w.dilation < 1) return check.fail("dilation_" + a + " is " + std::to_string(w.dilation) + ", must be >= 1");
  if (w.pad_begin < 0 || w.pad_end < 0) return check.fail("padding along " + a + " is negative");
  return Status::Ok();
}

int64_t effective_kernel(const Window& w) { return w.dilation * (w.kernel - 1) + 1; }

// Output extent of a sliding window over `in` (convolution and pooling).
Status window_output(const OpCheck& check, const Window& w, int64_t in, int64_t* out) {
  BSP_RETURN_IF_ERROR(check_window_params(check, w));
  const int64_t padded = in + w.pad_begin + w.pad_end;
  if (padded < effective_kernel(w)) {
    return check.fail("the padded input extent along " + std::string(w.axis) + " (" + std::to_string(padded) +
                      ") is smaller than the dilated kernel (" + std::to_string(effective_kernel(w)) + ")");
  }
  *out = (padded - effective_kernel(w)) / w.stride + 1;
  return Status::Ok();
}

// Conv2DOptions and ConvTranspose2DOptions name the window fields alike.
template <typename Options>
Window conv_h(const Options& o) {
  return {"h", o.kernel_h(), o.stride_h(), o.dilation_h(), o.pad_top(), o.pad_bottom()};
}
template <typename Options>
Window conv_w(const Options& o) {
  return {"w", o.kernel_w(), o.stride_w(), o.dilation_w(), o.pad_left(), o.pad_right()};
}

Status check_groups(const OpCheck& check, int64_t groups, int64_t channels, const char* what) {
  if (groups < 1) return check.fail("groups is " + std::to_string(groups) + ", must be >= 1");
  if (channels % groups != 0) {
    return check.fail(std::string(what) + " (" + std::to_string(channels) + ") is not divisible by groups (" +
                      std::to_string(groups) + ")");
  }
  return Status::Ok();
}

// Both convolutions: rank-4 input and constant rank-4 weight, `groups`
// dividing the input channels.
Status check_conv_operands(const OpCheck& check, int64_t groups) {
  BSP_RETURN_IF_ERROR(check.require_rank(0, 4));
  BSP_RETURN_IF_ERROR(check.require_rank(1, 4));
  BSP_RETURN_IF_ERROR(check.require_constant(1));
  return check_groups(check, groups, check.input(0).dim(1), "input channels");
}

Status check_weight_kernel(const OpCheck& check, const TensorInfo& weight, int64_t kernel_h, int64_t kernel_w) {
  if (weight.dim(2) != kernel_h || weight.dim(3) != kernel_w) {
    return check.fail("weight " + check.input_label(1) + " has shape " + shape_string(weight) + " but the kernel is " +
                      std::to_string(kernel_h) + "x" + std::to_string(kernel_w));
  }
  return Status::Ok();
}

}  // namespace

Status conv2d_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::Conv2DOptions& o = *check.op().options_as_Conv2DOptions();
  const int64_t groups = o.groups();
  BSP_RETURN_IF_ERROR(check_conv_operands(check, groups));
  const TensorInfo& x = check.input(0);
  const TensorInfo& w = check.input(1);
  BSP_RETURN_IF_ERROR(check_groups(check, groups, w.dim(0), "output channels"));
  if (w.dim(1) != x.dim(1) / groups) {
    return check.fail("weight " + check.input_label(1) + " has shape " + shape_string(w) +
                      "; dim 1 must be C/groups = " + std::to_string(x.dim(1) / groups));
  }
  BSP_RETURN_IF_ERROR(check_weight_kernel(check, w, o.kernel_h(), o.kernel_w()));
  BSP_RETURN_IF_ERROR(check.require_optional_vector(2, w.dim(0), "bias"));
  BSP_RETURN_IF_ERROR(check_fused_activation(check, o.activation()));
  Shape& y = (*out)[0];
  y.rank = 4;
  y[0] = x.dim(0);
  y[1] = w.dim(0);
  BSP_RETURN_IF_ERROR(window_output(check, conv_h(o), x.dim(2), &y[2]));
  return window_output(check, conv_w(o), x.dim(3), &y[3]);
}

Status conv_transpose2d_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::ConvTranspose2DOptions& o = *check.op().options_as_ConvTranspose2DOptions();
  const int64_t groups = o.groups();
  BSP_RETURN_IF_ERROR(check_conv_operands(check, groups));
  const TensorInfo& x = check.input(0);
  const TensorInfo& w = check.input(1);
  if (w.dim(0) != x.dim(1)) {
    return check.fail("weight " + check.input_label(1) + " has shape " + shape_string(w) +
                      "; dim 0 must be C = " + std::to_string(x.dim(1)));
  }
  BSP_RETURN_IF_ERROR(check_weight_kernel(check, w, o.kernel_h(), o.kernel_w()));
  const int64_t out_channels = w.dim(1) * groups;
  BSP_RETURN_IF_ERROR(check.require_optional_vector(2, out_channels, "bias"));
  BSP_RETURN_IF_ERROR(check_fused_activation(check, o.activation()));
  Shape& y = (*out)[0];
  y.rank = 4;
  y[0] = x.dim(0);
  y[1] = out_channels;
  const Window axes[2] = {conv_h(o), conv_w(o)};
  const int64_t output_padding[2] = {o.output_padding_h(), o.output_padding_w()};
  for (int a = 0; a < 2; ++a) {
    const Window& win = axes[a];
    BSP_RETURN_IF_ERROR(check_window_params(check, win));
    const int64_t op = output_padding[a];
    if (op < 0 || (op >= win.stride && op >= win.dilation)) {
      return check.fail("output_padding_" + std::string(win.axis) + " is " + std::to_string(op) +
                        "; it must be >= 0 and smaller than the stride or the dilation");
    }
    const int64_t extent = win.stride * (x.dim(2 + a) - 1) + op + effective_kernel(win) - win.pad_begin - win.pad_end;
    if (extent < 1) {
      return check.fail("the output extent along " + std::string(win.axis) + " is " + std::to_string(extent) +
                        " (padding larger than the output)");
    }
    y[2 + a] = extent;
  }
  return Status::Ok();
}

Status pool2d_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::Pool2DOptions& o = *check.op().options_as_Pool2DOptions();
  BSP_RETURN_IF_ERROR(check.require_rank(0, 4));
  const TensorInfo& x = check.input(0);
  const Window axes[2] = {conv_h(o), conv_w(o)};
  Shape& y = (*out)[0];
  y.rank = 4;
  y[0] = x.dim(0);
  y[1] = x.dim(1);
  for (int a = 0; a < 2; ++a) {
    const Window& win = axes[a];
    BSP_RETURN_IF_ERROR(window_output(check, win, x.dim(2 + a), &y[2 + a]));
    // A window lying entirely in the padding has no defined value.
    if (win.pad_begin >= effective_kernel(win) || win.pad_end >= effective_kernel(win)) {
      return check.fail("padding along " + std::string(win.axis) + " must be smaller than the dilated kernel (" +
                        std::to_string(effective_kernel(win)) + ")");
    }
  }
  return Status::Ok();
}

Status global_average_pool_rule(const OpCheck& check, std::vector<Shape>* out) {
  BSP_RETURN_IF_ERROR(check.require_rank(0, 4));
  const TensorInfo& x = check.input(0);
  (*out)[0] = Shape{4, {x.dim(0), x.dim(1), 1, 1}};
  return Status::Ok();
}

Status resize_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::ResizeOptions& o = *check.op().options_as_ResizeOptions();
  BSP_RETURN_IF_ERROR(check.require_rank(0, 4));
  if (o.mode() < fb::ResizeMode::MIN || o.mode() > fb::ResizeMode::MAX) {
    return check.fail("unknown resize mode " + std::to_string(static_cast<int>(o.mode())));
  }
  if (o.coordinate_transform() < fb::CoordinateTransform::MIN ||
      o.coordinate_transform() > fb::CoordinateTransform::MAX) {
    return check.fail("unknown coordinate transform " + std::to_string(static_cast<int>(o.coordinate_transform())));
  }
  if (o.nearest_rounding() < fb::NearestRounding::MIN || o.nearest_rounding() > fb::NearestRounding::MAX) {
    return check.fail("unknown nearest rounding " + std::to_string(static_cast<int>(o.nearest_rounding())));
  }
  for (float scale : {o.scale_h(), o.scale_w()}) {
    if (!std::isfinite(scale) || scale < 0.0f) {
      return check.fail("scale " + std::to_string(scale) + " must be finite and >= 0 (0 = derive from shapes)");
    }
  }
  // The output's spatial size is free (it is the resize target); the batch and
  // channel dims must pass through.
  const TensorInfo& x = check.input(0);
  const TensorInfo& y = check.output(0);
  if (y.rank != 4) return check.fail("output has " + std::to_string(y.rank) + " dims, expected 4");
  (*out)[0] = Shape{4, {x.dim(0), x.dim(1), y.dim(2), y.dim(3)}};
  return Status::Ok();
}

Status channel_shuffle_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::ChannelShuffleOptions& o = *check.op().options_as_ChannelShuffleOptions();
  BSP_RETURN_IF_ERROR(check.require_rank(0, 4));
  BSP_RETURN_IF_ERROR(check_groups(check, o.groups(), check.input(0).dim(1), "channels"));
  (*out)[0] = Shape::of(check.input(0));
  return Status::Ok();
}

Status batch_norm_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::BatchNormOptions& o = *check.op().options_as_BatchNormOptions();
  BSP_RETURN_IF_ERROR(check.require_min_rank(0, 2));
  const int64_t channels = check.input(0).dim(1);
  static const char* const kParams[] = {"scale", "bias", "mean", "variance"};
  for (int i = 1; i <= 4; ++i) BSP_RETURN_IF_ERROR(check.require_optional_vector(i, channels, kParams[i - 1]));
  if (!std::isfinite(o.epsilon()) || o.epsilon() < 0.0f) {
    return check.fail("epsilon " + std::to_string(o.epsilon()) + " must be finite and >= 0");
  }
  (*out)[0] = Shape::of(check.input(0));
  return Status::Ok();
}

}  // namespace bespoke::rt::verify
