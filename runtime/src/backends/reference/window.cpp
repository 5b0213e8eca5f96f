#include "backends/reference/window.h"

#include <string>

namespace bespoke::rt::reference {

Status check_window(const OperatorRef& op, const WindowParams& w) {
  // Far above any real network, far below int64 overflow in index arithmetic.
  constexpr int64_t kLimit = 1 << 20;
  auto positive = [&](int64_t v, const char* name) -> Status {
    if (v >= 1 && v <= kLimit) return Status::Ok();
    return op_error(op, std::string(name) + " is " + std::to_string(v) + ", expected 1.." + std::to_string(kLimit));
  };
  auto non_negative = [&](int64_t v, const char* name) -> Status {
    if (v >= 0 && v <= kLimit) return Status::Ok();
    return op_error(op, std::string(name) + " is " + std::to_string(v) + ", expected 0.." + std::to_string(kLimit));
  };
  BSP_RETURN_IF_ERROR(positive(w.kernel_h, "kernel_h"));
  BSP_RETURN_IF_ERROR(positive(w.kernel_w, "kernel_w"));
  BSP_RETURN_IF_ERROR(positive(w.stride_h, "stride_h"));
  BSP_RETURN_IF_ERROR(positive(w.stride_w, "stride_w"));
  BSP_RETURN_IF_ERROR(positive(w.dilation_h, "dilation_h"));
  BSP_RETURN_IF_ERROR(positive(w.dilation_w, "dilation_w"));
  BSP_RETURN_IF_ERROR(non_negative(w.pad_top, "pad_top"));
  BSP_RETURN_IF_ERROR(non_negative(w.pad_left, "pad_left"));
  BSP_RETURN_IF_ERROR(non_negative(w.pad_bottom, "pad_bottom"));
  BSP_RETURN_IF_ERROR(non_negative(w.pad_right, "pad_right"));
  return Status::Ok();
}

ConvGeometry::ConvGeometry(const OperatorRef& op, const WindowParams& window, bool transposed) {
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  batch = x.dim(0);
  in_channels = x.dim(1);
  in_h = x.dim(2);
  in_w = x.dim(3);
  out_channels = y.dim(1);
  out_h = y.dim(2);
  out_w = y.dim(3);
  const int64_t limit_h = transposed ? out_h : in_h, count_h = transposed ? in_h : out_h;
  const int64_t limit_w = transposed ? out_w : in_w, count_w = transposed ? in_w : out_w;
  for (int64_t kh = 0; kh < window.kernel_h; ++kh)
    rows.push_back(valid_range(kh * window.dilation_h - window.pad_top, window.stride_h, limit_h, count_h));
  for (int64_t kw = 0; kw < window.kernel_w; ++kw)
    cols.push_back(valid_range(kw * window.dilation_w - window.pad_left, window.stride_w, limit_w, count_w));
}

}  // namespace bespoke::rt::reference
