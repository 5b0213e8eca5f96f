// Tensor and buffer checks: shapes within limits (overflow-checked element
// counts), known element types, buffer indices in range, constant data of
// exactly shape x element-size bytes, 64-byte aligned inline or external data
// inside the file.
#include <cstdint>
#include <string>

#include "core/verify_context.h"

namespace bespoke::rt::verify {
namespace {

constexpr uint64_t kDataAlignment = 64;

size_t element_size(fb::ElementType type) {
  switch (type) {
    case fb::ElementType::FLOAT32: return 4;
    case fb::ElementType::INT8: return 1;
    case fb::ElementType::UINT8: return 1;
    case fb::ElementType::INT32: return 4;
    case fb::ElementType::INT64: return 8;
  }
  return 0;
}

Status check_shape(const VerifyContext& ctx, int index, const fb::Tensor& tensor, TensorInfo* info) {
  const size_t elem_size = element_size(tensor.type());
  if (elem_size == 0) {
    return InvalidModel(tensor_label(ctx, index) + ": unknown element type " +
                        std::to_string(static_cast<int>(tensor.type())));
  }
  info->type = tensor.type();
  const auto* shape = tensor.shape();
  const size_t rank = shape != nullptr ? shape->size() : 0;
  if (rank > static_cast<size_t>(kMaxRank)) {
    return InvalidModel(tensor_label(ctx, index) + " has rank " + std::to_string(rank) + "; at most " +
                        std::to_string(kMaxRank) + " is supported");
  }
  info->rank = static_cast<int>(rank);
  const size_t max_elements = ctx.limits.max_tensor_bytes / elem_size;
  size_t count = 1;
  for (size_t i = 0; i < rank; ++i) {
    const int32_t d = shape->Get(static_cast<flatbuffers::uoffset_t>(i));
    if (d < 1) {
      return InvalidModel(tensor_label(ctx, index) + ": dimension " + std::to_string(i) + " is " + std::to_string(d) +
                          "; every dimension must be >= 1");
    }
    if (count > max_elements / static_cast<size_t>(d)) {
      return InvalidModel(tensor_label(ctx, index) + " is too large: more than " +
                          std::to_string(ctx.limits.max_tensor_bytes) + " bytes");
    }
    count *= static_cast<size_t>(d);
    info->dims[i] = d;
  }
  info->element_count = count;
  info->byte_size = count * elem_size;
  return Status::Ok();
}

Status check_inline_data(const VerifyContext& ctx, int index, uint32_t buffer_index, const fb::Buffer& buffer,
                         TensorInfo* info) {
  const std::string where = tensor_label(ctx, index) + ", buffer " + std::to_string(buffer_index);
  const auto* data = buffer.data();
  if (buffer.offset() != 0 || (buffer.size() != 0 && buffer.size() != data->size())) {
    return InvalidModel(where + ": has both inline data and an external offset/size");
  }
  if (data->size() != info->byte_size) {
    return InvalidModel(where + ": holds " + std::to_string(data->size()) + " bytes; shape " + shape_string(*info) +
                        " needs " + std::to_string(info->byte_size));
  }
  const uint8_t* bytes = data->data();
  const auto offset = static_cast<uint64_t>(bytes - ctx.base);
  if (offset % kDataAlignment != 0) {
    return InvalidModel(where + ": inline data at file offset " + std::to_string(offset) + " is not 64-byte aligned");
  }
  if (reinterpret_cast<uintptr_t>(bytes) % element_size(info->type) != 0) {
    return InvalidArgument(where + ": data in memory is misaligned for its element type");
  }
  info->constant = bytes;
  return Status::Ok();
}

Status check_external_data(const VerifyContext& ctx, int index, uint32_t buffer_index, const fb::Buffer& buffer,
                           TensorInfo* info) {
  const std::string where = tensor_label(ctx, index) + ", buffer " + std::to_string(buffer_index);
  const uint64_t offset = buffer.offset();
  const uint64_t size = buffer.size();
  if (size != info->byte_size) {
    return InvalidModel(where + ": holds " + std::to_string(size) + " bytes; shape " + shape_string(*info) + " needs " +
                        std::to_string(info->byte_size));
  }
  if (offset % kDataAlignment != 0) {
    return InvalidModel(where + ": external data offset " + std::to_string(offset) + " is not a multiple of 64");
  }
  if (offset > ctx.size || size > ctx.size - offset) {
    return InvalidModel(where + ": external data [" + std::to_string(offset) + ", " + std::to_string(offset) + " + " +
                        std::to_string(size) + ") lies outside the file (" + std::to_string(ctx.size) + " bytes)");
  }
  info->constant = ctx.base + offset;
  return Status::Ok();
}

Status check_buffer(const VerifyContext& ctx, int index, const fb::Tensor& tensor, TensorInfo* info) {
  const auto* buffers = ctx.model->buffers();
  const uint32_t b = tensor.buffer();
  if (b == 0) return Status::Ok();
  if (b >= buffers->size()) {
    return InvalidModel(tensor_label(ctx, index) + ": buffer index " + std::to_string(b) + " is out of range (" +
                        std::to_string(buffers->size()) + " buffers)");
  }
  const fb::Buffer& buffer = *buffers->Get(b);
  if (buffer.data() != nullptr && buffer.data()->size() > 0) return check_inline_data(ctx, index, b, buffer, info);
  return check_external_data(ctx, index, b, buffer, info);
}

}  // namespace

Status verify_tensors(VerifyContext& ctx) {
  const auto* tensors = ctx.model->tensors();
  const size_t count = tensors != nullptr ? tensors->size() : 0;
  if (count > ctx.limits.max_tensors) {
    return InvalidModel("the model has " + std::to_string(count) + " tensors; the limit is " +
                        std::to_string(ctx.limits.max_tensors));
  }
  const auto* buffers = ctx.model->buffers();
  if (buffers == nullptr || buffers->size() == 0) {
    return InvalidModel("the model has no buffers; buffer 0 must be an empty sentinel");
  }
  const fb::Buffer& sentinel = *buffers->Get(0);
  if ((sentinel.data() != nullptr && sentinel.data()->size() != 0) || sentinel.offset() != 0 || sentinel.size() != 0) {
    return InvalidModel("buffer 0 must be an empty sentinel but holds data");
  }

  ctx.tensors.assign(count, TensorInfo{});
  uint64_t activation_bytes = 0;
  for (size_t i = 0; i < count; ++i) {
    const int index = static_cast<int>(i);
    const fb::Tensor& tensor = *tensors->Get(static_cast<flatbuffers::uoffset_t>(i));
    TensorInfo& info = ctx.tensors[i];
    if (tensor.name() != nullptr) info.name = std::string_view(tensor.name()->c_str(), tensor.name()->size());
    BSP_RETURN_IF_ERROR(check_shape(ctx, index, tensor, &info));
    BSP_RETURN_IF_ERROR(check_buffer(ctx, index, tensor, &info));
    if (info.is_constant()) {
      ctx.weights_bytes += info.byte_size;
    } else {
      activation_bytes += info.byte_size;
      if (activation_bytes > ctx.limits.max_activation_bytes) {
        return InvalidModel("the non-constant tensors need more than " +
                            std::to_string(ctx.limits.max_activation_bytes) + " bytes (limit reached at " +
                            tensor_label(ctx, index) + ")");
      }
    }
  }
  ctx.producer.assign(count, -1);
  ctx.is_graph_input.assign(count, 0);
  return Status::Ok();
}

}  // namespace bespoke::rt::verify
