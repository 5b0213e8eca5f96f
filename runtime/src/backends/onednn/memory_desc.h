// Memory descriptors for tensors as this backend stores them. oneDNN
// descriptors always list dims in logical order (N, C, H, W for images) and
// describe the physical order with strides, so one helper covers both of the
// runtime's layouts: rank-4 tensors are NHWC, every other rank is row-major.
// Operators that take an axis (softmax, concat, reduce, batch norm) can then
// pass the logical axis unchanged.
#pragma once

#include <cstdint>

#include <oneapi/dnnl/dnnl.h>

#include "core/model_view.h"
#include "core/status.h"

namespace bespoke::rt::onednn {

// Logical dims and physical strides (in elements) of a stored tensor.
struct StoredShape {
  int rank = 0;
  dnnl_dims_t dims{};
  dnnl_dims_t strides{};
};

// The tensor as stored: NHWC strides for rank 4, row-major otherwise. A
// scalar (rank 0) is described as shape [1].
StoredShape stored_shape(const TensorInfo& tensor);
// The same storage seen with `rank` >= tensor.rank dims, the extra ones
// leading and of size 1, as numpy broadcasting aligns shapes.
StoredShape stored_shape(const TensorInfo& tensor, int rank);

// f32 descriptor from dims + strides.
Status desc_from(const StoredShape& shape, dnnl_memory_desc_t* desc);
Status stored_desc(const TensorInfo& tensor, dnnl_memory_desc_t* desc);
// f32 descriptor with a fixed format tag, or dnnl_format_tag_any to let the
// primitive choose.
Status tagged_desc(int rank, const dnnl_dim_t* dims, dnnl_format_tag_t tag, dnnl_memory_desc_t* desc);
// f32 1-D dense descriptor of `count` elements (element-wise operators
// ignore layout, and per-channel vectors are 1-D anyway).
Status flat_desc(int64_t count, dnnl_memory_desc_t* desc);

// True if the two shapes have the same rank and dims.
bool same_dims(const StoredShape& a, const StoredShape& b);

}  // namespace bespoke::rt::onednn
