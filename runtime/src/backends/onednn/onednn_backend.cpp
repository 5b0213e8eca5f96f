// The oneDNN backend: x86-64 CPUs with SSE4.1 or better (oneDNN's JIT
// kernels need it and dispatch to AVX2 / AVX-512 at run time). Activations
// are exchanged in NHWC; weights are reordered into whatever blocked format
// each primitive prefers when the kernel is created. Operators or instances
// whose oneDNN semantics differ from the schema's are refused in supports(),
// so the session runs them on another backend.
#include <memory>
#include <utility>

#include "backends/backend.h"
#include "backends/onednn/omp_threads.h"
#include "backends/onednn/onednn_context.h"
#include "backends/onednn/operators.h"

namespace bespoke::rt {
namespace onednn {
namespace {

struct OpEntry {
  bool (*supports)(const OpRef& op);
  Status (*create)(const OpRef& op, const KernelEnv& env, KernelOut kernel);
};

// nullptr for operators this backend never runs.
const OpEntry* entry_for(fb::OpCode code) {
  static const OpEntry conv{supports_conv2d, create_conv2d};
  static const OpEntry conv_transpose{supports_conv_transpose2d, create_conv_transpose2d};
  static const OpEntry fully_connected{supports_fully_connected, create_fully_connected};
  static const OpEntry pool{supports_pool2d, create_pool2d};
  static const OpEntry global_pool{supports_global_average_pool, create_global_average_pool};
  static const OpEntry binary{supports_binary, create_binary};
  static const OpEntry eltwise{supports_eltwise, create_eltwise};
  static const OpEntry softmax{supports_softmax, create_softmax};
  static const OpEntry concat{supports_concat, create_concat};
  static const OpEntry batch_norm{supports_batch_norm, create_batch_norm};
  static const OpEntry resize{supports_resize, create_resize};
  static const OpEntry reduce_mean{supports_reduce_mean, create_reduce_mean};
  using C = fb::OpCode;
  switch (code) {
    case C::CONV_2D: return &conv;
    case C::CONV_TRANSPOSE_2D: return &conv_transpose;
    case C::FULLY_CONNECTED: return &fully_connected;
    case C::MAX_POOL_2D:
    case C::AVERAGE_POOL_2D: return &pool;
    case C::GLOBAL_AVERAGE_POOL: return &global_pool;
    case C::ADD:
    case C::SUB:
    case C::MUL:
    case C::DIV: return &binary;
    case C::RELU:
    case C::CLIP:
    case C::LEAKY_RELU:
    case C::SIGMOID:
    case C::HARD_SIGMOID:
    case C::HARD_SWISH:
    case C::SILU:
    case C::TANH:
    case C::SQRT: return &eltwise;
    case C::SOFTMAX: return &softmax;
    case C::CONCAT: return &concat;
    case C::BATCH_NORM: return &batch_norm;
    case C::RESIZE: return &resize;
    case C::REDUCE_MEAN: return &reduce_mean;
    default: return nullptr;
  }
}

bool all_float32(const ModelView& model, const OperatorInfo& op) {
  for (const int index : op.inputs)
    if (index >= 0 && model.tensor(index).type != fb::ElementType::FLOAT32) return false;
  for (const int index : op.outputs)
    if (model.tensor(index).type != fb::ElementType::FLOAT32) return false;
  return true;
}

bool cpu_supported() {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_cpu_supports("sse4.1");
#else
  return true;  // oneDNN's portable reference code (slow, but correct)
#endif
}

class OnednnBackend final : public Backend {
 public:
  explicit OnednnBackend(std::shared_ptr<Context> context) : context_(std::move(context)) {}

  std::string_view name() const override { return "onednn"; }
  Layout layout() const override { return Layout::kNHWC; }
  ThreadRuntime thread_runtime() const override { return ThreadRuntime::kOpenMP; }

  bool supports(const ModelView& model, int op) const override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count()) return false;
    const OperatorInfo& info = model.op(op);
    const OpEntry* entry = entry_for(info.opcode);
    if (entry == nullptr || info.op == nullptr || !all_float32(model, info)) return false;
    return entry->supports(OpRef{model, op});
  }

  // Measured with one thread on AVX-512 (AMD EPYC, benchmarks/README.md):
  // oneDNN's convolutions, inner products and poolings beat XNNPACK's by
  // 0.97-1.4x per model, its eltwise, binary, concat and shuffle ops lose by
  // 1.4-4x. With oneDNN limited to AVX2 (ONEDNN_MAX_CPU_ISA) its convolutions
  // lost to XNNPACK's AVX-512 ones, so without AVX-512 nothing is preferred
  // (an unfair comparison, hence no claim either way for AVX2 machines).
  bool preferred_for(const ModelView& model, int op) const override {
    if (!context_->has_avx512()) return false;
    switch (model.op(op).opcode) {
      case fb::OpCode::CONV_2D:
      case fb::OpCode::FULLY_CONNECTED:
      case fb::OpCode::MAX_POOL_2D:
      case fb::OpCode::AVERAGE_POOL_2D:
        return true;
      default:
        return false;
    }
  }

  Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                       std::unique_ptr<Kernel>* kernel) override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count())
      return InvalidArgument("oneDNN backend: operator index " + std::to_string(op) + " out of range");
    if (!supports(model, op)) return Unsupported(describe(OpRef{model, op}) + ": not supported by the oneDNN backend");
    const OpRef ref{model, op};
    KernelEnv env{context_, context.num_threads < 1 ? 1 : context.num_threads};
    // Primitives are created for the thread count they will run with.
    OmpThreadScope threads(env.num_threads);
    Status status = entry_for(ref.op().opcode)->create(ref, env, kernel);
    if (!status.ok()) return Status(status.code(), describe(ref) + ": " + status.message());
    return Status::Ok();
  }

 private:
  std::shared_ptr<Context> context_;
};

}  // namespace
}  // namespace onednn

std::unique_ptr<Backend> make_onednn_backend() {
  if (!onednn::cpu_supported()) return nullptr;
  std::shared_ptr<onednn::Context> context;
  if (!onednn::Context::create(&context).ok()) return nullptr;
  return std::make_unique<onednn::OnednnBackend>(std::move(context));
}

}  // namespace bespoke::rt
