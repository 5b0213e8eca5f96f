// The portable reference backend: plain C++ kernels in NCHW for every FLOAT32
// operator of the format. It is the numerical ground truth the other backends
// are tested against, and the fallback for operators they do not support.
#include <new>
#include <string>

#include "backends/backend.h"
#include "backends/reference/operators.h"

namespace bespoke::rt {
namespace reference {
namespace {

using Entry = OperatorEntry<Status (*)(const OperatorRef&),
                            Status (*)(const OperatorRef&, const ExecutionContext&, std::unique_ptr<Kernel>*)>;

constexpr Entry kOperators[] = {BSP_REFERENCE_OPERATOR_FILES(BSP_OPERATOR_ENTRY)};
static_assert(operator_table_follows_rules(kOperators), "see operator_file() in backends/backend.h");
// The last resort runs every operator of the format.
static_assert(operator_table_covers_every_opcode(kOperators), "the reference backend must run every opcode");

Status check_tensor_type(const OperatorRef& op, const TensorInfo& t, const char* role, size_t slot) {
  if (t.type == fb::ElementType::FLOAT32) return Status::Ok();
  return Status(StatusCode::kUnsupported, op.describe() + ": " + role + " " + std::to_string(slot) + " '" +
                                              std::string(t.name) + "' is " + fb::EnumNameElementType(t.type) +
                                              ", the reference backend runs FLOAT32 only");
}

// What every operator needs, from the opcode's OpTraits (the verifier's own
// rules, checked again: a gap there must become an error here, not a crash).
Status check_generic(const OperatorRef& op) {
  const OpTraits& traits = *op_traits(op.opcode());  // every opcode of kOperators is known
  const size_t inputs = op.input_count(), outputs = op.output_count();
  if (inputs < static_cast<size_t>(traits.min_inputs) ||
      (traits.max_inputs >= 0 && inputs > static_cast<size_t>(traits.max_inputs)))
    return op_error(op, "has " + std::to_string(inputs) + " inputs, expected " + std::to_string(traits.min_inputs) +
                            (traits.max_inputs < 0 ? " or more" : " to " + std::to_string(traits.max_inputs)));
  if (traits.outputs >= 0 ? outputs != static_cast<size_t>(traits.outputs) : outputs == 0)
    return op_error(op, "has " + std::to_string(outputs) + " outputs, expected " +
                            (traits.outputs < 0 ? std::string("1 or more") : std::to_string(traits.outputs)));
  const fb::Operator* table = op.info().op;
  if (traits.options != fb::OperatorOptions::NONE &&
      (table == nullptr || table->options() == nullptr || table->options_type() != traits.options))
    return op_error(op, std::string("is missing its ") + fb::EnumNameOperatorOptions(traits.options));
  for (size_t i = 0; i < inputs; ++i) {
    if (!op.has_input(i)) {
      if (i < 32 && (traits.optional_inputs & (1u << i)) != 0) continue;
      return op_error(op, "required input " + std::to_string(i) + " is absent");
    }
    BSP_RETURN_IF_ERROR(check_tensor_type(op, op.input(i), "input", i));
  }
  for (size_t i = 0; i < outputs; ++i) {
    if (op.info().outputs[i] < 0) return op_error(op, "output " + std::to_string(i) + " is absent");
    BSP_RETURN_IF_ERROR(check_tensor_type(op, op.output(i), "output", i));
  }
  return Status::Ok();
}

// Ok if the reference backend can run `op`, else the reason.
Status check(const OperatorRef& op) {
  const Entry* entry = find_operator(kOperators, op.opcode());
  if (entry == nullptr)
    return Status(StatusCode::kUnsupported, op.describe() + ": opcode not supported by the reference backend");
  BSP_RETURN_IF_ERROR(check_generic(op));
  return entry->supports(op);
}

class ReferenceBackend final : public Backend {
 public:
  std::string_view name() const override { return "reference"; }
  Layout layout() const override { return Layout::kNCHW; }

  bool supports(const ModelView& model, int op) const override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count()) return false;
    return check(OperatorRef{model, op}).ok();
  }

  Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                       std::unique_ptr<Kernel>* kernel) override {
    if (kernel == nullptr) return InvalidArgument("reference backend: create_kernel() needs an output pointer");
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count())
      return InvalidArgument("reference backend: operator index " + std::to_string(op) + " out of range");
    const OperatorRef ref{model, op};
    BSP_RETURN_IF_ERROR(check(ref));
    return find_operator(kOperators, ref.opcode())->create(ref, context, kernel);
  }
};

}  // namespace
}  // namespace reference

std::unique_ptr<Backend> make_reference_backend() {
  return std::unique_ptr<Backend>(new (std::nothrow) reference::ReferenceBackend());
}

}  // namespace bespoke::rt
