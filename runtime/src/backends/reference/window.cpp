#include "backends/reference/window.h"

#include <string>

namespace bespoke::rt::reference {

Status check_window(const KernelArgs& args, const Window2D& w) {
  // Far above any real network, far below int64 overflow in index arithmetic.
  constexpr int64_t kLimit = 1 << 20;
  auto positive = [&](int64_t v, const char* name) -> Status {
    if (v >= 1 && v <= kLimit) return Status::Ok();
    return op_error(args, std::string(name) + " is " + std::to_string(v) + ", expected 1.." + std::to_string(kLimit));
  };
  auto non_negative = [&](int64_t v, const char* name) -> Status {
    if (v >= 0 && v <= kLimit) return Status::Ok();
    return op_error(args, std::string(name) + " is " + std::to_string(v) + ", expected 0.." + std::to_string(kLimit));
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

}  // namespace bespoke::rt::reference
