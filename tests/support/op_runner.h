// run_single_op: runs a one-operator .bspk model (built with ModelBuilder) on
// any Backend, the way the session would, and hands back the outputs in
// logical (NCHW) order. Backend tests use it to compare a backend against the
// reference backend or against LibTorch without knowing the backend's layout.
//
//   ModelBuilder b;
//   int x = b.add_input("x", {1, 3, 8, 8});
//   ...; b.add_op(fb::OpCode::CONV_2D, {x, w, bias}, {y}, ...); b.mark_output(y);
//   auto backend = rt::make_reference_backend();
//   OpRunResult r = run_single_op(*backend, b.finish(), {x_values});
//   REQUIRE(r.status.ok());   // r.outputs[0] holds y, NCHW
//
// What it does, in order:
//  1. copies the model into 64-byte aligned memory and runs verify_model();
//     the model must contain exactly one operator;
//  2. asks backend.supports(); a refusal comes back as kUnsupported;
//  3. creates the kernel (with a pthreadpool of `num_threads` when > 1);
//  4. allocates one buffer per tensor the operator touches (64-byte aligned,
//     with 64 spare bytes at the end, as kernel libraries may over-read).
//     Graph inputs are filled from `inputs` (one vector per entry of the
//     model's `inputs`, in that order, logical NCHW order, exact element count).
//     Constant inputs are copied from the model. When backend.layout() is
//     kNHWC, every rank-4 tensor is converted NCHW -> NHWC, except the weight
//     inputs (inputs 1 and 2 of CONV_2D, CONV_TRANSPOSE_2D, FULLY_CONNECTED),
//     which the kernel packed from the model at create time and which are
//     handed over in file layout. Outputs are pre-filled with NaN so that an
//     element the kernel forgets to write shows up in comparisons;
//  5. setup() then run() once;
//  6. converts rank-4 outputs back to NCHW and returns them in the order of
//     the operator's outputs.
// Any failure returns its Status and no outputs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <pthreadpool.h>

#include "backends/backend.h"
#include "core/model_view.h"
#include "core/status.h"
#include "core/verifier.h"

namespace bespoke::test {

struct OpRunResult {
  rt::Status status;
  std::vector<std::vector<float>> outputs;  // one per operator output, logical NCHW order
};

namespace op_runner_detail {

// 64-byte aligned, zero-initialised byte storage.
class AlignedBytes {
 public:
  explicit AlignedBytes(size_t size, size_t slack = 64) {
    size_t rounded = (size + slack + 63) / 64 * 64;
    data_.reset(static_cast<uint8_t*>(std::aligned_alloc(64, rounded == 0 ? 64 : rounded)));
    std::memset(data_.get(), 0, rounded == 0 ? 64 : rounded);
  }
  uint8_t* data() const { return data_.get(); }
  float* floats() const { return reinterpret_cast<float*>(data_.get()); }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, Free> data_;
};

struct PoolDeleter {
  void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
};

// dims = logical [N, C, H, W].
inline void nchw_to_nhwc(const float* src, float* dst, const rt::TensorInfo& t) {
  const int64_t n = t.dim(0), c = t.dim(1), hw = t.dim(2) * t.dim(3);
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t p = 0; p < hw; ++p) dst[(in * hw + p) * c + ic] = src[(in * c + ic) * hw + p];
}

inline void nhwc_to_nchw(const float* src, float* dst, const rt::TensorInfo& t) {
  const int64_t n = t.dim(0), c = t.dim(1), hw = t.dim(2) * t.dim(3);
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t p = 0; p < hw; ++p) dst[(in * c + ic) * hw + p] = src[(in * hw + p) * c + ic];
}

inline bool is_weight_input(fb::OpCode code, size_t input_slot) {
  const bool has_weights =
      code == fb::OpCode::CONV_2D || code == fb::OpCode::CONV_TRANSPOSE_2D || code == fb::OpCode::FULLY_CONNECTED;
  return has_weights && (input_slot == 1 || input_slot == 2);
}

inline OpRunResult fail(rt::Status status) { return OpRunResult{std::move(status), {}}; }

}  // namespace op_runner_detail

inline OpRunResult run_single_op(rt::Backend& backend, const std::vector<uint8_t>& model,
                                 const std::vector<std::vector<float>>& inputs, int num_threads = 1) {
  // Emulated (qemu) runs cap threads: multi-threaded XNNPACK was seen to spin there.
  if (const char* cap = std::getenv("BESPOKE_TEST_MAX_THREADS")) {
    num_threads = std::max(1, std::min(num_threads, std::atoi(cap)));
  }
  using namespace op_runner_detail;
  AlignedBytes file(model.size(), 0);
  std::memcpy(file.data(), model.data(), model.size());
  rt::ModelView view;
  rt::Status status = rt::verify_model(file.data(), model.size(), &view);
  if (!status.ok()) return fail(status);
  if (view.operator_count() != 1)
    return fail(rt::InvalidArgument("run_single_op: model has " + std::to_string(view.operator_count()) +
                                    " operators, expected exactly 1"));
  if (inputs.size() != view.inputs().size())
    return fail(rt::InvalidArgument("run_single_op: " + std::to_string(inputs.size()) + " input vectors for " +
                                    std::to_string(view.inputs().size()) + " graph inputs"));
  if (!backend.supports(view, 0))
    return fail(
        rt::Unsupported("run_single_op: backend '" + std::string(backend.name()) + "' does not support the operator"));

  std::unique_ptr<pthreadpool, PoolDeleter> pool;
  if (num_threads > 1) pool.reset(pthreadpool_create(static_cast<size_t>(num_threads)));
  rt::ExecutionContext context;
  context.threadpool = pool.get();
  context.num_threads = num_threads > 1 ? num_threads : 1;
  std::unique_ptr<rt::Kernel> kernel;
  status = backend.create_kernel(view, 0, context, &kernel);
  if (!status.ok()) return fail(status);
  if (!kernel) return fail(rt::Internal("run_single_op: create_kernel returned no kernel"));

  const rt::OperatorInfo& op = view.op(0);
  const bool nhwc = backend.layout() == rt::Layout::kNHWC;
  // One buffer per tensor index, so an operator reading a tensor twice sees one buffer.
  std::vector<std::unique_ptr<AlignedBytes>> buffers(view.tensor_count());
  auto buffer_for = [&](int index) -> AlignedBytes& {
    auto& slot = buffers[static_cast<size_t>(index)];
    if (!slot) slot = std::make_unique<AlignedBytes>(view.tensor(index).byte_size);
    return *slot;
  };

  std::vector<const void*> input_ptrs(op.inputs.size(), nullptr);
  for (size_t slot = 0; slot < op.inputs.size(); ++slot) {
    const int index = op.inputs[slot];
    if (index < 0) continue;
    const rt::TensorInfo& t = view.tensor(index);
    if (t.is_constant() && is_weight_input(op.opcode, slot)) {
      input_ptrs[slot] = t.constant;  // file layout, packed by the kernel at create time
      continue;
    }
    const float* logical = nullptr;
    if (t.is_constant()) {
      logical = static_cast<const float*>(t.constant);
    } else {
      size_t graph_input = 0;
      while (graph_input < view.inputs().size() && view.inputs()[graph_input] != index) ++graph_input;
      if (graph_input == view.inputs().size())
        return fail(rt::InvalidArgument("run_single_op: operator input " + std::to_string(slot) +
                                        " is neither a constant nor a graph input"));
      if (inputs[graph_input].size() != t.element_count)
        return fail(rt::InvalidArgument("run_single_op: input " + std::to_string(graph_input) + " has " +
                                        std::to_string(inputs[graph_input].size()) + " values, expected " +
                                        std::to_string(t.element_count)));
      logical = inputs[graph_input].data();
    }
    AlignedBytes& buffer = buffer_for(index);
    if (nhwc && t.rank == 4) {
      nchw_to_nhwc(logical, buffer.floats(), t);
    } else {
      std::memcpy(buffer.data(), logical, t.byte_size);
    }
    input_ptrs[slot] = buffer.data();
  }

  std::vector<void*> output_ptrs(op.outputs.size(), nullptr);
  for (size_t slot = 0; slot < op.outputs.size(); ++slot) {
    const rt::TensorInfo& t = view.tensor(op.outputs[slot]);
    AlignedBytes& buffer = buffer_for(op.outputs[slot]);
    std::fill(buffer.floats(), buffer.floats() + t.element_count, std::numeric_limits<float>::quiet_NaN());
    output_ptrs[slot] = buffer.data();
  }

  status = kernel->setup(input_ptrs.data(), output_ptrs.data());
  if (!status.ok()) return fail(status);
  status = kernel->run();
  if (!status.ok()) return fail(status);

  OpRunResult result;
  for (size_t slot = 0; slot < op.outputs.size(); ++slot) {
    const rt::TensorInfo& t = view.tensor(op.outputs[slot]);
    const float* data = static_cast<const float*>(output_ptrs[slot]);
    std::vector<float> logical(t.element_count);
    if (nhwc && t.rank == 4) {
      nhwc_to_nchw(data, logical.data(), t);
    } else {
      std::copy(data, data + t.element_count, logical.begin());
    }
    result.outputs.push_back(std::move(logical));
  }
  return result;
}

}  // namespace bespoke::test
