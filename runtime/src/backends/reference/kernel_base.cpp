#include "backends/reference/kernel_base.h"

namespace bespoke::rt::reference {

Status op_error(const OperatorRef& op, const std::string& what) { return InvalidModel(op.describe() + ": " + what); }

ReferenceKernel::ReferenceKernel(const OperatorRef& op)
    : constants_(op.input_count(), nullptr),
      present_(op.input_count(), false),
      inputs_(op.input_count(), nullptr),
      outputs_(op.output_count(), nullptr),
      description_(op.describe()) {
  for (size_t i = 0; i < op.input_count(); ++i) {
    if (!op.has_input(i)) continue;
    present_[i] = true;
    constants_[i] = static_cast<const float*>(op.input(i).constant);
  }
}

Status ReferenceKernel::setup(const void* const* inputs, void* const* outputs) {
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const void* given = inputs != nullptr ? inputs[i] : nullptr;
    inputs_[i] = given != nullptr ? static_cast<const float*>(given) : constants_[i];
    if (present_[i] && inputs_[i] == nullptr)
      return InvalidArgument(description_ + ": setup() got no data for input " + std::to_string(i));
  }
  for (size_t i = 0; i < outputs_.size(); ++i) {
    outputs_[i] = outputs != nullptr ? static_cast<float*>(outputs[i]) : nullptr;
    if (outputs_[i] == nullptr)
      return InvalidArgument(description_ + ": setup() got no buffer for output " + std::to_string(i));
  }
  return Status::Ok();
}

int64_t dims_product(const TensorInfo& t, int begin, int end) {
  int64_t product = 1;
  for (int i = begin; i < end; ++i) product *= t.dim(i);
  return product;
}

bool has_shape(const TensorInfo& t, const std::vector<int64_t>& dims) {
  if (static_cast<size_t>(t.rank) != dims.size()) return false;
  for (int i = 0; i < t.rank; ++i)
    if (t.dim(i) != dims[static_cast<size_t>(i)]) return false;
  return true;
}

std::string shape_string(const TensorInfo& t) {
  return shape_string(std::vector<int64_t>(t.dims.begin(), t.dims.begin() + t.rank));
}

std::string shape_string(const std::vector<int64_t>& dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(dims[i]);
  }
  return text + "]";
}

Status expect_shape(const OperatorRef& op, const TensorInfo& t, const std::vector<int64_t>& dims,
                    const std::string& role) {
  if (has_shape(t, dims)) return Status::Ok();
  return op_error(op, role + " has shape " + shape_string(t) + ", expected " + shape_string(dims));
}

Status expect_rank(const OperatorRef& op, const TensorInfo& t, int rank, const std::string& role) {
  if (t.rank == rank) return Status::Ok();
  return op_error(op, role + " has rank " + std::to_string(t.rank) + ", expected " + std::to_string(rank));
}

}  // namespace bespoke::rt::reference
