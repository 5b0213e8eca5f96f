// The XNNPACK backend: NHWC layout, one XNNPACK operator-API kernel per
// model operator. Operators it cannot run with exactly the model's semantics
// report supports() = false so the session runs them elsewhere.
#include <memory>

#include "backends/xnnpack/operators.h"

namespace bespoke::rt {
namespace xnnpack {
namespace {

using Entry = OperatorEntry<bool (*)(const OperatorRef&),
                            Status (*)(const OperatorRef&, const ExecutionContext&, std::unique_ptr<Kernel>*)>;

constexpr Entry kOperators[] = {BSP_XNNPACK_OPERATOR_FILES(BSP_OPERATOR_ENTRY)};
static_assert(operator_table_follows_rules(kOperators), "see operator_file() in backends/backend.h");

class XnnpackBackend final : public Backend {
 public:
  std::string_view name() const override { return "xnnpack"; }
  Layout layout() const override { return Layout::kNHWC; }

  bool supports(const ModelView& model, int op) const override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count()) return false;
    const OperatorRef ref{model, op};
    const Entry* entry = find_operator(kOperators, ref.opcode());
    return entry != nullptr && entry->supports(ref);
  }

  Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                       std::unique_ptr<Kernel>* kernel) override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count()) {
      return InvalidArgument("xnnpack: operator index " + std::to_string(op) + " is out of range");
    }
    const OperatorRef ref{model, op};
    const Entry* entry = find_operator(kOperators, ref.opcode());
    if (entry == nullptr || !entry->supports(ref)) {
      return unsupported(ref, "these shapes or options have no exact XNNPACK equivalent");
    }
    return entry->create(ref, context, kernel);
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
