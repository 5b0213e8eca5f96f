#include "backends/xnnpack/block_copy.h"

#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {

Status make_block_copy_kernel(const OperatorRef& op, const ExecutionContext& exec, std::vector<BlockCopy> copies,
                              std::unique_ptr<Kernel>* kernel) {
  // Constant sources, copied once into memory order (empty for activations).
  std::vector<FloatBuffer> constants(op.info().inputs.size());
  for (size_t i = 0; i < constants.size(); ++i) {
    if (op.has_input(i) && op.input(i).is_constant()) constants[i] = constant_in_memory_order(op.input(i));
  }
  auto result = make_kernel(
      op, exec, [copies, constants = std::move(constants)](XnnKernel& k, const void* const* in, void* const* out) {
        for (size_t c = 0; c < copies.size(); ++c) {
          const BlockCopy& copy = copies[c];
          const FloatBuffer& constant = constants[copy.source];
          const float* source = constant.size() != 0 ? constant.data() : as_floats(in[copy.source]);
          float* destination = as_floats(out[copy.destination]);
          BSP_RETURN_IF_ERROR(k.check("xnn_setup_copy_nc_x32",
                                      xnn_setup_copy_nc_x32(k.op(c), copy.rows, source + copy.source_offset,
                                                            destination + copy.destination_offset, k.threadpool())));
        }
        return Status::Ok();
      });
  for (const BlockCopy& copy : copies) {
    BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_copy_nc_x32", [&](xnn_operator_t* created) {
      return xnn_create_copy_nc_x32(copy.row_length, copy.source_stride, copy.destination_stride, 0, created);
    }));
  }
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
