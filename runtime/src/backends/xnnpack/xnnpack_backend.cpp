// The XNNPACK backend: NHWC layout, one XNNPACK operator-API kernel per
// model operator. Operators it cannot run with exactly the model's semantics
// report supports() = false so the session runs them elsewhere.
#include <memory>

#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt {
namespace xnnpack {
namespace {

struct Handler {
  fb::OpCode opcode;
  SupportedFn supported;
  CreateFn create;
};

#define BSP_HANDLER(code, kind) {fb::OpCode::code, kind##_supported, create_##kind##_kernel}
constexpr Handler kHandlers[] = {
    BSP_HANDLER(CONV_2D, conv2d),
    BSP_HANDLER(CONV_TRANSPOSE_2D, conv_transpose2d),
    BSP_HANDLER(FULLY_CONNECTED, fully_connected),
    BSP_HANDLER(MAX_POOL_2D, max_pool2d),
    BSP_HANDLER(AVERAGE_POOL_2D, average_pool2d),
    BSP_HANDLER(GLOBAL_AVERAGE_POOL, global_average_pool),
    BSP_HANDLER(ADD, binary),
    BSP_HANDLER(SUB, binary),
    BSP_HANDLER(MUL, binary),
    BSP_HANDLER(DIV, binary),
    BSP_HANDLER(RELU, clamp),
    BSP_HANDLER(CLIP, clamp),
    BSP_HANDLER(LEAKY_RELU, leaky_relu),
    BSP_HANDLER(SIGMOID, sigmoid),
    BSP_HANDLER(HARD_SIGMOID, hard_sigmoid),
    BSP_HANDLER(HARD_SWISH, hard_swish),
    BSP_HANDLER(SILU, silu),
    BSP_HANDLER(SOFTMAX, softmax),
    BSP_HANDLER(CONCAT, concat),
    BSP_HANDLER(SPLIT, split),
    BSP_HANDLER(SLICE, slice),
    BSP_HANDLER(RESHAPE, reshape),
    BSP_HANDLER(TRANSPOSE, transpose),
    BSP_HANDLER(PAD, pad),
    BSP_HANDLER(RESIZE, resize),
    BSP_HANDLER(CHANNEL_SHUFFLE, channel_shuffle),
    BSP_HANDLER(REDUCE_MEAN, reduce_mean),
    BSP_HANDLER(BATCH_NORM, batch_norm),
    BSP_HANDLER(SQRT, square_root),
    // BATCH_MATMUL: XNNPACK's operator API has no batched matrix product; it
    // runs on the reference backend.
};
#undef BSP_HANDLER

const Handler* find_handler(fb::OpCode opcode) {
  for (const Handler& handler : kHandlers) {
    if (handler.opcode == opcode) return &handler;
  }
  return nullptr;
}

class XnnpackBackend final : public Backend {
 public:
  std::string_view name() const override { return "xnnpack"; }
  Layout layout() const override { return Layout::kNHWC; }

  bool supports(const ModelView& model, int op) const override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count()) return false;
    const OpContext ctx{model, op, model.op(op)};
    const Handler* handler = find_handler(ctx.info.opcode);
    return handler != nullptr && handler->supported(ctx);
  }

  Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                       std::unique_ptr<Kernel>* kernel) override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count()) {
      return InvalidArgument("xnnpack: operator index " + std::to_string(op) + " is out of range");
    }
    const OpContext ctx{model, op, model.op(op)};
    const Handler* handler = find_handler(ctx.info.opcode);
    if (handler == nullptr || !handler->supported(ctx)) {
      return ctx.unsupported("these shapes or options have no exact XNNPACK equivalent");
    }
    return handler->create(ctx, context, kernel);
  }
};

}  // namespace
}  // namespace xnnpack

std::unique_ptr<Backend> make_xnnpack_backend() {
  // xnn_initialize is idempotent; a function-local static makes the one call
  // thread-safe. It fails on CPUs XNNPACK cannot run on (e.g. x86 without SSE2).
  static const xnn_status init_status = xnn_initialize(nullptr);
  if (init_status != xnn_status_success) return nullptr;
  return std::make_unique<xnnpack::XnnpackBackend>();
}

}  // namespace bespoke::rt
