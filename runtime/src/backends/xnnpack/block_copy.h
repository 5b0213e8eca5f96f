// Strided block copies of 32-bit values (xnn_create_copy_nc_x32), the
// building block of CONCAT, SPLIT, SLICE and layout-neutral RESHAPE: in
// memory order, each of those moves `rows` rows of `row_length` values
// between a source and a destination with their own row strides and start
// offsets.
#pragma once

#include <memory>
#include <vector>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

struct BlockCopy {
  size_t rows = 1;
  size_t row_length = 0;
  size_t source_stride = 0;       // values between source row starts (>= row_length)
  size_t destination_stride = 0;  // values between destination row starts (>= row_length)
  size_t source_offset = 0;       // values from the start of the source tensor
  size_t destination_offset = 0;
  size_t source = 0;       // index into the operator's inputs
  size_t destination = 0;  // index into the operator's outputs
};

// A kernel running `copies` in order. Sources that are constant tensors are
// read from kernel-owned copies in this backend's memory order.
Status make_block_copy_kernel(const OperatorRef& op, const ExecutionContext& exec, std::vector<BlockCopy> copies,
                              std::unique_ptr<Kernel>* kernel);

}  // namespace bespoke::rt::xnnpack
