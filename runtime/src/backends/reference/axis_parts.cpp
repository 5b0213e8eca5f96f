#include "backends/reference/axis_parts.h"

#include <string>

namespace bespoke::rt::reference {

Status check_axis_parts(const OperatorRef& op, const TensorInfo& joined, int axis,
                        const std::vector<const TensorInfo*>& parts, const char* part_role) {
  if (axis < 0 || axis >= joined.rank)
    return op_error(op, "axis " + std::to_string(axis) + " out of range for " + shape_string(joined));
  int64_t sum = 0;
  for (size_t p = 0; p < parts.size(); ++p) {
    const TensorInfo& part = *parts[p];
    bool same = part.rank == joined.rank;
    for (int d = 0; same && d < joined.rank; ++d) same = d == axis || part.dim(d) == joined.dim(d);
    if (!same)
      return op_error(op, std::string(part_role) + " " + std::to_string(p) + " has shape " + shape_string(part) +
                              ", which does not match " + shape_string(joined) + " outside axis " +
                              std::to_string(axis));
    sum += part.dim(axis);
  }
  if (sum != joined.dim(axis))
    return op_error(op, "the " + std::string(part_role) + "s add up to " + std::to_string(sum) + " along axis " +
                            std::to_string(axis) + ", expected " + std::to_string(joined.dim(axis)));
  return Status::Ok();
}

}  // namespace bespoke::rt::reference
