// PrimitiveKernel: the one Kernel class of the backend. An operator is a
// short sequence of oneDNN primitives ("steps"); each op file describes its
// steps at create time and binds every primitive argument to either an
// operator input/output slot (pointer known at setup), a constant the kernel
// owns (packed weights), a model constant (read in place) or a temporary
// buffer that passes data from one step to the next.
//
//   create_kernel: pd -> add_step() -> bind_*()     (primitive JIT-compiled here)
//   setup:         data handles of bound memories set, scratchpad and
//                  temporaries allocated (once)
//   run:           execute the steps on the backend's stream
//
// All memory objects exist from create time (without data), so setup only
// swaps pointers in and run() only executes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/onednn/onednn_context.h"
#include "backends/onednn/onednn_handles.h"

namespace bespoke::rt::onednn {

class PrimitiveKernel final : public Kernel {
 public:
  // `description` ("operator 3 'conv1' (CONV_2D)") prefixes error messages.
  PrimitiveKernel(std::shared_ptr<Context> context, int num_threads, std::string description);

  const Context& context() const { return *context_; }

  // Creates the primitive of `pd` and appends it as the last step; *step is its index.
  Status add_step(const_dnnl_primitive_desc_t pd, int* step);
  // Argument `arg` (DNNL_ARG_*) of `step` is operator input / output `slot`, laid out as `desc`.
  Status bind_input(int step, int arg, size_t slot, const dnnl_memory_desc_t& desc);
  Status bind_output(int step, int arg, size_t slot, const dnnl_memory_desc_t& desc);
  // Argument `arg` of `step` reads `data` (a model constant that outlives the kernel) in place.
  Status bind_constant(int step, int arg, const dnnl_memory_desc_t& desc, const void* data);
  // Argument `arg` of `step` is a memory object the kernel keeps (e.g. packed weights).
  void bind_owned(int step, int arg, MemoryPtr memory);
  // A buffer laid out as `desc` that the kernel allocates at setup and that
  // passes data between steps; bind it with bind_memory().
  Status add_temporary(const dnnl_memory_desc_t& desc, dnnl_memory_t* memory);
  void bind_memory(int step, int arg, dnnl_memory_t memory);

  Status setup(const void* const* inputs, void* const* outputs) override;
  Status run() override;

 private:
  struct Step {
    PrimitivePtr primitive;
    std::vector<dnnl_exec_arg_t> args;
    dnnl_memory_t scratchpad = nullptr;  // owned by memories_
  };
  struct SlotBinding {
    dnnl_memory_t memory;  // owned by memories_
    bool is_output;
    size_t slot;
  };
  struct FreeDeleter {
    void operator()(void* p) const;
  };
  using Buffer = std::unique_ptr<void, FreeDeleter>;
  struct Temporary {
    dnnl_memory_t memory;  // owned by memories_
    size_t bytes;
    Buffer buffer;  // allocated at the first setup()
  };

  Status bind_slot(int step, int arg, bool is_output, size_t slot, const dnnl_memory_desc_t& desc);
  Status make_memory(const dnnl_memory_desc_t& desc, void* handle, dnnl_memory_t* memory);
  // 64-byte aligned, nullptr on failure.
  static Buffer allocate(size_t bytes);

  std::shared_ptr<Context> context_;
  int num_threads_;
  std::string description_;
  std::vector<Step> steps_;
  std::vector<MemoryPtr> memories_;
  std::vector<SlotBinding> slots_;
  std::vector<Temporary> temporaries_;
  size_t scratchpad_bytes_ = 0;
  Buffer scratchpad_;
};

// Creates a primitive descriptor for an operation descriptor (the first
// implementation oneDNN offers, i.e. its fastest for these shapes).
Status create_primitive_desc(const void* op_desc, const_dnnl_primitive_attr_t attr, const Context& context,
                             PrimitiveDescPtr* out);

// The memory descriptor a primitive chose for an argument queried with
// `what` (e.g. dnnl_query_weights_md).
const dnnl_memory_desc_t* queried_desc(const_dnnl_primitive_desc_t pd, dnnl_query_t what, int index = 0);

// Reorders `data` (laid out as `from`) once into a new memory object laid
// out as `to` — how weights get into the format a primitive chose.
Status pack_constant(const Context& context, const dnnl_memory_desc_t& from, const void* data,
                     const dnnl_memory_desc_t& to, MemoryPtr* packed);

}  // namespace bespoke::rt::onednn
