#include "backends/onednn/primitive_kernel.h"

#include <cstdlib>
#include <utility>

#include "backends/onednn/omp_threads.h"

namespace bespoke::rt::onednn {

void PrimitiveKernel::FreeDeleter::operator()(void* p) const { std::free(p); }

PrimitiveKernel::PrimitiveKernel(std::shared_ptr<Context> context, int num_threads, std::string description)
    : context_(std::move(context)), num_threads_(num_threads), description_(std::move(description)) {}

Status PrimitiveKernel::make_memory(const dnnl_memory_desc_t& desc, void* handle, dnnl_memory_t* memory) {
  dnnl_memory_t created = nullptr;
  BSP_DNNL_CHECK(dnnl_memory_create(&created, &desc, context_->engine(), handle));
  memories_.emplace_back(created);
  *memory = created;
  return Status::Ok();
}

Status PrimitiveKernel::add_step(const_dnnl_primitive_desc_t pd, int* step) {
  dnnl_primitive_t primitive = nullptr;
  BSP_DNNL_CHECK(dnnl_primitive_create(&primitive, pd));
  Step created;
  created.primitive.reset(primitive);
  const dnnl_memory_desc_t* scratch = queried_desc(pd, dnnl_query_scratchpad_md);
  const size_t scratch_bytes = scratch != nullptr ? dnnl_memory_desc_get_size(scratch) : 0;
  if (scratch_bytes > 0) {
    BSP_RETURN_IF_ERROR(make_memory(*scratch, DNNL_MEMORY_NONE, &created.scratchpad));
    created.args.push_back({DNNL_ARG_SCRATCHPAD, created.scratchpad});
    if (scratch_bytes > scratchpad_bytes_) scratchpad_bytes_ = scratch_bytes;
  }
  steps_.push_back(std::move(created));
  *step = static_cast<int>(steps_.size() - 1);
  return Status::Ok();
}

Status PrimitiveKernel::bind_slot(int step, int arg, bool is_output, size_t slot, const dnnl_memory_desc_t& desc) {
  dnnl_memory_t memory = nullptr;
  BSP_RETURN_IF_ERROR(make_memory(desc, DNNL_MEMORY_NONE, &memory));
  slots_.push_back({memory, is_output, slot});
  steps_[static_cast<size_t>(step)].args.push_back({arg, memory});
  return Status::Ok();
}

Status PrimitiveKernel::bind_input(int step, int arg, size_t slot, const dnnl_memory_desc_t& desc) {
  return bind_slot(step, arg, false, slot, desc);
}

Status PrimitiveKernel::bind_output(int step, int arg, size_t slot, const dnnl_memory_desc_t& desc) {
  return bind_slot(step, arg, true, slot, desc);
}

Status PrimitiveKernel::bind_constant(int step, int arg, const dnnl_memory_desc_t& desc, const void* data) {
  dnnl_memory_t memory = nullptr;
  // oneDNN takes a non-const handle; arguments that are only read are never written.
  BSP_RETURN_IF_ERROR(make_memory(desc, const_cast<void*>(data), &memory));
  steps_[static_cast<size_t>(step)].args.push_back({arg, memory});
  return Status::Ok();
}

void PrimitiveKernel::bind_owned(int step, int arg, MemoryPtr memory) {
  steps_[static_cast<size_t>(step)].args.push_back({arg, memory.get()});
  memories_.push_back(std::move(memory));
}

Status PrimitiveKernel::add_temporary(const dnnl_memory_desc_t& desc, dnnl_memory_t* memory) {
  BSP_RETURN_IF_ERROR(make_memory(desc, DNNL_MEMORY_NONE, memory));
  temporaries_.push_back({*memory, dnnl_memory_desc_get_size(&desc), nullptr});
  return Status::Ok();
}

void PrimitiveKernel::bind_memory(int step, int arg, dnnl_memory_t memory) {
  steps_[static_cast<size_t>(step)].args.push_back({arg, memory});
}

PrimitiveKernel::Buffer PrimitiveKernel::allocate(size_t bytes) {
  const size_t rounded = (bytes + 63) / 64 * 64;
  return Buffer(std::aligned_alloc(64, rounded == 0 ? 64 : rounded));
}

Status PrimitiveKernel::setup(const void* const* inputs, void* const* outputs) {
  for (const SlotBinding& binding : slots_) {
    void* pointer = binding.is_output ? outputs[binding.slot] : const_cast<void*>(inputs[binding.slot]);
    if (pointer == nullptr)
      return InvalidArgument(description_ + ": setup got no data for " + (binding.is_output ? "output " : "input ") +
                             std::to_string(binding.slot));
    BSP_DNNL_CHECK(dnnl_memory_set_data_handle(binding.memory, pointer));
  }
  for (Temporary& temporary : temporaries_) {
    if (temporary.buffer) continue;
    temporary.buffer = allocate(temporary.bytes);
    if (!temporary.buffer)
      return OutOfMemory(description_ + ": cannot allocate a " + std::to_string(temporary.bytes) +
                         "-byte intermediate buffer");
    BSP_DNNL_CHECK(dnnl_memory_set_data_handle(temporary.memory, temporary.buffer.get()));
  }
  if (scratchpad_bytes_ > 0 && !scratchpad_) {
    scratchpad_ = allocate(scratchpad_bytes_);
    if (!scratchpad_)
      return OutOfMemory(description_ + ": cannot allocate a " + std::to_string(scratchpad_bytes_) +
                         "-byte oneDNN scratchpad");
    // Steps run one after another, so they share one buffer of the largest size.
    for (const Step& step : steps_)
      if (step.scratchpad != nullptr) BSP_DNNL_CHECK(dnnl_memory_set_data_handle(step.scratchpad, scratchpad_.get()));
  }
  return Status::Ok();
}

Status PrimitiveKernel::run() {
  OmpThreadScope threads(num_threads_);
  for (const Step& step : steps_) {
    const dnnl_status_t status = dnnl_primitive_execute(step.primitive.get(), context_->stream(),
                                                        static_cast<int>(step.args.size()), step.args.data());
    if (status != dnnl_success) {
      Status error = dnnl_status(status, "dnnl_primitive_execute");
      return Status(error.code(), description_ + ": " + error.message());
    }
  }
  BSP_DNNL_CHECK(dnnl_stream_wait(context_->stream()));
  return Status::Ok();
}

Status create_primitive_desc(const void* op_desc, const_dnnl_primitive_attr_t attr, const Context& context,
                             PrimitiveDescPtr* out) {
  dnnl_primitive_desc_t pd = nullptr;
  BSP_DNNL_CHECK(
      dnnl_primitive_desc_create(&pd, static_cast<const_dnnl_op_desc_t>(op_desc), attr, context.engine(), nullptr));
  out->reset(pd);
  return Status::Ok();
}

const dnnl_memory_desc_t* queried_desc(const_dnnl_primitive_desc_t pd, dnnl_query_t what, int index) {
  return dnnl_primitive_desc_query_md(pd, what, index);
}

Status pack_constant(const Context& context, const dnnl_memory_desc_t& from, const void* data,
                     const dnnl_memory_desc_t& to, MemoryPtr* packed) {
  dnnl_memory_t source = nullptr;
  BSP_DNNL_CHECK(dnnl_memory_create(&source, &from, context.engine(), const_cast<void*>(data)));
  MemoryPtr owned_source(source);
  dnnl_memory_t destination = nullptr;
  BSP_DNNL_CHECK(dnnl_memory_create(&destination, &to, context.engine(), DNNL_MEMORY_ALLOCATE));
  MemoryPtr owned_destination(destination);

  dnnl_primitive_desc_t reorder_pd = nullptr;
  BSP_DNNL_CHECK(
      dnnl_reorder_primitive_desc_create(&reorder_pd, &from, context.engine(), &to, context.engine(), nullptr));
  PrimitiveDescPtr owned_pd(reorder_pd);
  dnnl_primitive_t reorder = nullptr;
  BSP_DNNL_CHECK(dnnl_primitive_create(&reorder, reorder_pd));
  PrimitivePtr owned_reorder(reorder);
  const dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, source}, {DNNL_ARG_TO, destination}};
  BSP_DNNL_CHECK(dnnl_primitive_execute(reorder, context.stream(), 2, args));
  BSP_DNNL_CHECK(dnnl_stream_wait(context.stream()));
  *packed = std::move(owned_destination);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
