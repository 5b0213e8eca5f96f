#include "backends/onednn/memory_desc.h"

#include "backends/onednn/onednn_handles.h"

namespace bespoke::rt::onednn {

StoredShape stored_shape(const TensorInfo& tensor) { return stored_shape(tensor, tensor.rank); }

StoredShape stored_shape(const TensorInfo& tensor, int rank) {
  StoredShape shape;
  const int own_rank = tensor.rank;
  shape.rank = rank < 1 ? 1 : rank;
  const int lead = shape.rank - own_rank;  // leading broadcast dims (all of them for a scalar)
  for (int i = 0; i < shape.rank; ++i) shape.dims[i] = i < lead ? 1 : tensor.dim(i - lead);

  // Physical order of the tensor's own dims, outermost first.
  int order[kMaxRank];
  if (own_rank == 4) {
    const int nhwc[4] = {0, 2, 3, 1};
    for (int i = 0; i < 4; ++i) order[i] = nhwc[i];
  } else {
    for (int i = 0; i < own_rank; ++i) order[i] = i;
  }
  int64_t stride = 1;
  for (int i = own_rank - 1; i >= 0; --i) {
    shape.strides[lead + order[i]] = stride;
    stride *= tensor.dim(order[i]);
  }
  // Leading size-1 dims sit outside the whole tensor.
  for (int i = lead - 1; i >= 0; --i) shape.strides[i] = stride;
  return shape;
}

Status desc_from(const StoredShape& shape, dnnl_memory_desc_t* desc) {
  BSP_DNNL_CHECK(dnnl_memory_desc_init_by_strides(desc, shape.rank, shape.dims, dnnl_f32, shape.strides));
  return Status::Ok();
}

Status stored_desc(const TensorInfo& tensor, dnnl_memory_desc_t* desc) { return desc_from(stored_shape(tensor), desc); }

Status tagged_desc(int rank, const dnnl_dim_t* dims, dnnl_format_tag_t tag, dnnl_memory_desc_t* desc) {
  BSP_DNNL_CHECK(dnnl_memory_desc_init_by_tag(desc, rank, dims, dnnl_f32, tag));
  return Status::Ok();
}

Status flat_desc(int64_t count, dnnl_memory_desc_t* desc) {
  const dnnl_dims_t dims = {count};
  return tagged_desc(1, dims, dnnl_a, desc);
}

bool same_dims(const StoredShape& a, const StoredShape& b) {
  if (a.rank != b.rank) return false;
  for (int i = 0; i < a.rank; ++i)
    if (a.dims[i] != b.dims[i]) return false;
  return true;
}

}  // namespace bespoke::rt::onednn
