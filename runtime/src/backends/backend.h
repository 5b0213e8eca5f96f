// Backend and Kernel: the contract between the session and the kernel
// libraries. A backend decides which operators it can run and creates one
// Kernel per operator; the session plans memory, chooses tensor layouts,
// inserts layout conversions and drives the kernels.
//
// Every backend folder has the same shape (ncnn's rule): operator_file()
// names the file of every opcode, the same in every folder. `operators.h`
// lists the backend's operator files in one X-macro
// (BSP_<BACKEND>_OPERATOR_FILES) and declares, for each, `supports_<file>` and
// `create_<file>`, both taking an OperatorRef and defined in `<file>.cpp`;
// `<backend>_backend.cpp` holds the Backend and its table, made from the same
// list (OperatorEntry rows, below). The build enforces the rule: a
// static_assert on each table (known file names, none twice) and
// runtime/CMakeLists.txt (each listed file exists, and a file named after an
// operator file is listed).
//
// Layout rule: every rank-4 tensor handed to a kernel (activation or
// constant) is in the backend's layout(); every other tensor is plain
// row-major in logical order. A kernel whose operator changes rank (e.g.
// RESHAPE from 4-D to 2-D) is itself responsible for producing logical order.
// Exception: convolution weights (input 1 of CONV_2D and CONV_TRANSPOSE_2D)
// are always passed in file layout (OIHW); backends pack them from the model
// at create_kernel, so an NHWC copy would only double weight memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/model_view.h"
#include "core/op_traits.h"
#include "core/status.h"

typedef struct pthreadpool* pthreadpool_t;

namespace bespoke::rt {

enum class Layout : uint8_t { kNCHW = 0, kNHWC = 1 };

// Whose threads a backend's kernels run on. Two pools busy-waiting on the
// same cores starve each other, so the session parks the one it leaves.
enum class ThreadRuntime : uint8_t {
  kSessionPool = 0,  // ExecutionContext::threadpool (reference, XNNPACK)
  kOpenMP = 1,       // the process's OpenMP runtime (Debian's oneDNN)
};

// Shared, caller-sized execution resources. Owned by the session.
struct ExecutionContext {
  pthreadpool_t threadpool = nullptr;  // nullptr = run on the calling thread
  int num_threads = 1;
};

// One operator of a verified model, as every backend's operator files see it.
struct OperatorRef {
  const ModelView& model;
  int index;

  const OperatorInfo& info() const { return model.op(index); }
  fb::OpCode opcode() const { return info().opcode; }
  size_t input_count() const { return info().inputs.size(); }
  size_t output_count() const { return info().outputs.size(); }
  // False for an absent optional input (-1) and past the last input.
  bool has_input(size_t i) const { return i < input_count() && info().inputs[i] >= 0; }
  // Only for present inputs (has_input(i)).
  const TensorInfo& input(size_t i) const { return model.tensor(info().inputs[i]); }
  const TensorInfo& output(size_t i) const { return model.tensor(info().outputs[i]); }
  // True when every present input and every output is FLOAT32.
  bool all_float32() const {
    for (const int t : info().inputs) {
      if (t >= 0 && model.tensor(t).type != fb::ElementType::FLOAT32) return false;
    }
    for (const int t : info().outputs) {
      if (model.tensor(t).type != fb::ElementType::FLOAT32) return false;
    }
    return true;
  }
  // "operator 3 'conv1' (CONV_2D)": the prefix of every message about it.
  std::string describe() const { return operator_label(index, info().name, info().opcode); }
};

// The operator file of an opcode: `<file>.cpp` in every backend folder that
// runs it, defining `supports_<file>` and `create_<file>`. Families that
// share a kernel shape share a file (the four binary ops, the unary ops).
namespace detail {
// Indexed by opcode value; the static_assert keeps it in step with the schema.
inline constexpr std::string_view kOperatorFiles[] = {
    "conv2d",
    "conv_transpose2d",
    "fully_connected",
    "pool2d",
    "pool2d",  // MAX_POOL_2D, AVERAGE_POOL_2D
    "global_average_pool",
    "binary",
    "binary",
    "binary",
    "binary",  // ADD, SUB, MUL, DIV
    // RELU, CLIP, LEAKY_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH, SILU, TANH
    "unary",
    "unary",
    "unary",
    "unary",
    "unary",
    "unary",
    "unary",
    "unary",
    "softmax",
    "concat",
    "reshape",
    "transpose",
    "pad",
    "resize",
    "channel_shuffle",
    "reduce_mean",
    "slice",
    "split",
    "batch_norm",
    "unary",  // SQRT
    "batch_matmul",
};
static_assert(sizeof(kOperatorFiles) / sizeof(kOperatorFiles[0]) == static_cast<size_t>(fb::OpCode::MAX) + 1,
              "kOperatorFiles must have one entry per fb::OpCode");
}  // namespace detail

// "" for a code this runtime does not know.
constexpr std::string_view operator_file(fb::OpCode code) {
  const auto index = static_cast<size_t>(code);
  return index <= static_cast<size_t>(fb::OpCode::MAX) ? detail::kOperatorFiles[index] : std::string_view();
}
static_assert(operator_file(fb::OpCode::SOFTMAX) == "softmax" && operator_file(fb::OpCode::SQRT) == "unary" &&
                  operator_file(fb::OpCode::BATCH_MATMUL) == "batch_matmul",
              "kOperatorFiles is out of step with fb::OpCode");

// One row of a backend's operator table. `Supports` is `bool (*)(const
// OperatorRef&)` in the optimized backends (a refusal only means "run it
// elsewhere") and `Status (*)(const OperatorRef&)` in the reference backend,
// the last resort, whose refusal is an error that must say why.
// A file runs every opcode operator_file() gives it, up to its supports_.
template <class Supports, class Create>
struct OperatorEntry {
  std::string_view file;
  Supports supports;
  Create create;
};

// The row of operator file `file`: BSP_<BACKEND>_OPERATOR_FILES(BSP_OPERATOR_ENTRY).
#define BSP_OPERATOR_ENTRY(file) {#file, supports_##file, create_##file},

// The declarations of operator file `file` in a backend whose supports_
// returns `Supports` and whose factories take `Env` (see OperatorEntry).
#define BSP_DECLARE_OPERATOR_FILE(Supports, Env, file) \
  Supports supports_##file(const OperatorRef& op);     \
  Status create_##file(const OperatorRef& op, const Env& env, std::unique_ptr<Kernel>* kernel);

constexpr bool is_operator_file(std::string_view file) {
  for (uint32_t code = 0; code <= static_cast<uint32_t>(fb::OpCode::MAX); ++code) {
    if (operator_file(static_cast<fb::OpCode>(code)) == file) return true;
  }
  return false;
}

// The table's rules, for a static_assert next to it: every row names an
// operator file, and no file twice.
template <class Entry, size_t N>
constexpr bool operator_table_follows_rules(const Entry (&table)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (!is_operator_file(table[i].file)) return false;
    for (size_t j = 0; j < i; ++j) {
      if (table[j].file == table[i].file) return false;
    }
  }
  return true;
}

// The row of the file that runs `code`, or nullptr when the backend has none.
template <class Entry, size_t N>
constexpr const Entry* find_operator(const Entry (&table)[N], fb::OpCode code) {
  const std::string_view file = operator_file(code);
  for (const Entry& entry : table) {
    if (entry.file == file) return &entry;
  }
  return nullptr;
}

// True when the table has a file for every opcode (the reference backend's).
template <class Entry, size_t N>
constexpr bool operator_table_covers_every_opcode(const Entry (&table)[N]) {
  for (uint32_t code = 0; code <= static_cast<uint32_t>(fb::OpCode::MAX); ++code) {
    if (find_operator(table, static_cast<fb::OpCode>(code)) == nullptr) return false;
  }
  return true;
}

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Called once after memory planning with the final data pointers, in the
  // order of OperatorInfo::inputs / outputs (nullptr for an absent optional
  // input). The pointers stay valid and unchanged for the kernel's lifetime,
  // so expensive setup (XNNPACK setup, oneDNN memory objects) happens here.
  virtual Status setup(const void* const* inputs, void* const* outputs) = 0;
  // Steady state: must not allocate heap memory.
  virtual Status run() = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  virtual Layout layout() const = 0;
  virtual ThreadRuntime thread_runtime() const { return ThreadRuntime::kSessionPool; }
  // True if operator `op` of `model` (with its actual shapes and options) can
  // run on this backend. Must be cheap and must not fail otherwise.
  virtual bool supports(const ModelView& model, int op) const = 0;
  // AUTO's hint: true when this backend measured faster than the others for
  // operators like `op` on this CPU (see backend_selection.cpp). Among the
  // backends that support an operator, one that prefers it gets it.
  virtual bool preferred_for(const ModelView& model, int op) const {
    (void)model;
    (void)op;
    return false;
  }
  // Creates the kernel for `op`; packs weights read from the constant tensors
  // of `model` (in file layout). `model` outlives the kernel.
  virtual Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                               std::unique_ptr<Kernel>* kernel) = 0;
};

// Factories; each returns nullptr when the backend is not compiled in or the
// CPU cannot run it (e.g. oneDNN without SSE4.1).
std::unique_ptr<Backend> make_reference_backend();
std::unique_ptr<Backend> make_xnnpack_backend();
std::unique_ptr<Backend> make_onednn_backend();

}  // namespace bespoke::rt
