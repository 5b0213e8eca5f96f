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

using Entry = OperatorEntry<bool (*)(const OperatorRef&),
                            Status (*)(const OperatorRef&, const KernelEnv&, std::unique_ptr<Kernel>*)>;

constexpr Entry kOperators[] = {BSP_ONEDNN_OPERATOR_FILES(BSP_OPERATOR_ENTRY)};
static_assert(operator_table_follows_rules(kOperators), "see operator_file() in backends/backend.h");

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
    const OperatorRef ref{model, op};
    const Entry* entry = find_operator(kOperators, ref.opcode());
    if (entry == nullptr || ref.info().op == nullptr || !ref.all_float32()) return false;
    return entry->supports(ref);
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
      case fb::OpCode::AVERAGE_POOL_2D: return true;
      default: return false;
    }
  }

  Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                       std::unique_ptr<Kernel>* kernel) override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count())
      return InvalidArgument("oneDNN backend: operator index " + std::to_string(op) + " out of range");
    const OperatorRef ref{model, op};
    if (!supports(model, op)) return Unsupported(ref.describe() + ": not supported by the oneDNN backend");
    KernelEnv env{context_, context.num_threads < 1 ? 1 : context.num_threads};
    // Primitives are created for the thread count they will run with.
    OmpThreadScope threads(env.num_threads);
    Status status = find_operator(kOperators, ref.opcode())->create(ref, env, kernel);
    if (!status.ok()) return Status(status.code(), ref.describe() + ": " + status.message());
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
