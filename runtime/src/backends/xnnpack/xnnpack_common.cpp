#include "backends/xnnpack/xnnpack_common.h"

#include <cmath>

namespace bespoke::rt::xnnpack {

Status unsupported(const OperatorRef& op, const std::string& why) {
  return Unsupported(op.describe() + ": not supported by the XNNPACK backend: " + why);
}

const char* xnn_status_name(xnn_status status) {
  switch (status) {
    case xnn_status_success: return "success";
    case xnn_status_uninitialized: return "XNNPACK is not initialized";
    case xnn_status_invalid_parameter: return "invalid parameter";
    case xnn_status_invalid_state: return "invalid state";
    case xnn_status_unsupported_parameter: return "unsupported parameter";
    case xnn_status_unsupported_hardware: return "unsupported hardware";
    case xnn_status_out_of_memory: return "out of memory";
  }
  return "unknown XNNPACK status";
}

XnnKernel::XnnKernel(const OperatorRef& op, const ExecutionContext& exec)
    : threadpool_(exec.threadpool), description_(op.describe()) {}

Status XnnKernel::run() {
  for (const XnnOperator& each : operators_) {
    const xnn_status status = xnn_run_operator(each.get(), threadpool_);
    if (status != xnn_status_success) return error("xnn_run_operator", status);
  }
  return Status::Ok();
}

Status XnnKernel::check(const char* call, xnn_status status) const {
  return status == xnn_status_success ? Status::Ok() : error(call, status);
}

Status XnnKernel::error(const char* call, xnn_status status) const {
  return BackendError(description_ + ": " + call + " failed: " + xnn_status_name(status));
}

OutputRange clamp_range(float min, float max) {
  // XNNPACK rejects NaN bounds and empty or single-point ranges.
  const bool valid = !std::isnan(min) && !std::isnan(max) && min < max;
  return {min, max, valid};
}

OutputRange output_range(const fb::FusedActivation* activation) {
  if (activation == nullptr) return {-kInfinity, kInfinity, true};
  switch (activation->type()) {
    case fb::ActivationType::NONE: return {-kInfinity, kInfinity, true};
    case fb::ActivationType::RELU: return {0.0f, kInfinity, true};
    case fb::ActivationType::CLIP: return clamp_range(activation->min(), activation->max());
  }
  return {0.0f, 0.0f, false};  // an activation this build does not know
}

int64_t window_output_size(int64_t input, int pad_begin, int pad_end, int kernel, int stride, int dilation) {
  if (input < 1 || pad_begin < 0 || pad_end < 0 || kernel < 1 || stride < 1 || dilation < 1) return -1;
  const int64_t padded = input + pad_begin + pad_end;
  const int64_t extent = int64_t{dilation} * (kernel - 1) + 1;
  if (padded < extent) return -1;
  return (padded - extent) / stride + 1;
}

}  // namespace bespoke::rt::xnnpack
