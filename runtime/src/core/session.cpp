#include "core/session.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <new>

#include "core/layout_convert.h"
#include "core/op_traits.h"
#include "core/thread_pool.h"

namespace bespoke::rt {
namespace {

constexpr int kMaxThreads = 1024;

uint64_t elapsed_ns(std::chrono::steady_clock::time_point since) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - since).count());
}

void record(ProfileCounter& counter, uint64_t ns) {
  counter.runs += 1;
  counter.total_ns += ns;
  counter.last_ns = ns;
}

}  // namespace

Session::~Session() {
  // Kernels may hold backend state and the thread pool: release them first.
  kernels_.clear();
  backends_.clear();
}

Status create_session_with_backends(const ModelView& model, const SessionOptions& options,
                                    std::vector<std::unique_ptr<Backend>> backends, std::unique_ptr<Session>* out) {
  std::unique_ptr<Session> session(new (std::nothrow) Session(model));
  if (!session) return OutOfMemory("cannot allocate the session");
  BSP_RETURN_IF_ERROR(session->initialize(options, std::move(backends)));
  *out = std::move(session);
  return Status::Ok();
}

Status Session::initialize(const SessionOptions& options, std::vector<std::unique_ptr<Backend>> backends) {
  if (options.num_threads < 0 || options.num_threads > kMaxThreads) {
    return InvalidArgument("num_threads is " + std::to_string(options.num_threads) + "; expected 0 (all cores) to " +
                           std::to_string(kMaxThreads));
  }
  threadpool_.reset(new (std::nothrow) ThreadPool(ThreadPool::resolve_thread_count(options.num_threads)));
  if (!threadpool_) return OutOfMemory("cannot allocate the thread pool");
  context_.threadpool = threadpool_->get();
  context_.num_threads = threadpool_->threads();

  backends_ = std::move(backends);
  std::vector<Backend*> raw;
  for (auto& b : backends_) {
    if (!b) return Internal("session: a backend is missing");
    raw.push_back(b.get());
    backend_names_.emplace_back(b->name());
    backend_runtimes_.push_back(b->thread_runtime());
  }
  BSP_RETURN_IF_ERROR(SessionPlan::build(model_, raw, &plan_));
  count_backend_usage();
  BSP_RETURN_IF_ERROR(create_kernels());
  BSP_RETURN_IF_ERROR(allocate_memory(options));
  BSP_RETURN_IF_ERROR(setup_kernels());

  profiling_ = options.profiling;
  op_profile_.assign(model_.operator_count(), ProfileCounter{});
  block_profile_.assign(model_.blocks().size(), ProfileCounter{});
  block_scratch_ns_.assign(model_.blocks().size(), 0);
  input_set_.assign(model_.inputs().size(), 0);
  threadpool_->park();  // constant conversions may have woken the workers
  return Status::Ok();
}

Status Session::create_kernels() {
  const int count = static_cast<int>(model_.operator_count());
  kernels_.resize(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    Backend& backend = *backends_[static_cast<size_t>(plan_.ops()[static_cast<size_t>(i)].backend)];
    const Status s = backend.create_kernel(model_, i, context_, &kernels_[static_cast<size_t>(i)]);
    const std::string where = OperatorRef{model_, i}.describe();
    if (!s.ok()) return Status(s.code(), where + " on backend " + std::string(backend.name()) + ": " + s.message());
    if (!kernels_[static_cast<size_t>(i)]) {
      return Internal(where + ": backend " + std::string(backend.name()) + " returned no kernel");
    }
  }
  return Status::Ok();
}

Status Session::allocate_memory(const SessionOptions& options) {
  const size_t need = plan_.arena_bytes();
  if (options.arena != nullptr) {
    if (reinterpret_cast<uintptr_t>(options.arena) % kArenaAlignment != 0) {
      return InvalidArgument("the caller-supplied arena must be 64-byte aligned");
    }
    if (options.arena_size < need) {
      return InvalidArgument("the caller-supplied arena has " + std::to_string(options.arena_size) +
                             " bytes; this session needs " + std::to_string(need));
    }
    arena_ = static_cast<unsigned char*>(options.arena);
  } else {
    if (!own_arena_.allocate(need)) return OutOfMemory("cannot allocate a " + std::to_string(need) + "-byte arena");
    arena_ = own_arena_.data();
  }
  if (!io_.allocate(plan_.io_bytes())) return OutOfMemory("cannot allocate the input/output buffers");
  std::memset(io_.data(), 0, plan_.io_bytes());
  if (!constant_copies_.allocate(plan_.constant_copy_bytes())) {
    return OutOfMemory("cannot allocate converted constants");
  }
  for (const Slot& slot : plan_.slots()) {
    if (slot.place != Slot::Place::kConstantCopy) continue;
    const TensorInfo& t = model_.tensor(slot.tensor);
    convert_layout(static_cast<const float*>(t.constant), Layout::kNCHW,
                   reinterpret_cast<float*>(constant_copies_.data() + slot.offset), slot.layout, dims4(t),
                   context_.threadpool);
  }
  return Status::Ok();
}

void* Session::slot_data(int id) const {
  if (id < 0) return nullptr;
  const Slot& slot = plan_.slots()[static_cast<size_t>(id)];
  switch (slot.place) {
    case Slot::Place::kArena: return arena_ + slot.offset;
    case Slot::Place::kIo: return const_cast<unsigned char*>(io_.data()) + slot.offset;
    case Slot::Place::kConstantCopy: return const_cast<unsigned char*>(constant_copies_.data()) + slot.offset;
    case Slot::Place::kConstant: return const_cast<void*>(model_.tensor(slot.tensor).constant);
  }
  return nullptr;
}

Status Session::setup_kernels() {
  std::vector<const void*> inputs;
  std::vector<void*> outputs;
  for (size_t i = 0; i < kernels_.size(); ++i) {
    const OpPlan& op = plan_.ops()[i];
    inputs.clear();
    outputs.clear();
    for (int slot : op.input_slots) inputs.push_back(slot_data(slot));
    for (int slot : op.output_slots) outputs.push_back(slot_data(slot));
    const Status s = kernels_[i]->setup(inputs.data(), outputs.data());
    if (!s.ok()) return fail_op(static_cast<int>(i), s);
  }
  return Status::Ok();
}

Status Session::fail_op(int op, const Status& status) const {
  return Status(status.code(),
                OperatorRef{model_, op}.describe() + " on backend " + op_backend_name(op) + ": " + status.message());
}

void Session::run_conversions(const std::vector<Conversion>& conversions, pthreadpool_t pool) const {
  for (const Conversion& c : conversions) {
    const Slot& from = plan_.slots()[static_cast<size_t>(c.from_slot)];
    const Slot& to = plan_.slots()[static_cast<size_t>(c.to_slot)];
    convert_layout(static_cast<const float*>(slot_data(c.from_slot)), from.layout,
                   static_cast<float*>(slot_data(c.to_slot)), to.layout, c.dims, pool);
  }
}

Status Session::set_input(size_t index, const void* data, size_t bytes) {
  if (index >= model_.inputs().size()) {
    return InvalidArgument("input index " + std::to_string(index) + " is out of range (the model has " +
                           std::to_string(model_.inputs().size()) + " inputs)");
  }
  const TensorInfo& t = model_.tensor(model_.inputs()[index]);
  if (data == nullptr) return InvalidArgument("input " + std::to_string(index) + ": data is null");
  if (bytes != t.byte_size) {
    return InvalidArgument("input " + std::to_string(index) + " '" + std::string(t.name) + "' needs " +
                           std::to_string(t.byte_size) + " bytes, got " + std::to_string(bytes));
  }
  std::memcpy(slot_data(plan_.input_slot(index)), data, bytes);
  input_set_[index] = 1;
  return Status::Ok();
}

Status Session::run() {
  has_run_ = false;
  for (size_t i = 0; i < input_set_.size(); ++i) {
    if (input_set_[i] == 0) {
      return InvalidArgument("input " + std::to_string(i) + " '" + std::string(model_.tensor(model_.inputs()[i]).name) +
                             "' has not been set");
    }
  }
  const auto& ops = plan_.ops();
  // True while the pool's workers may be spinning for more work (see
  // ThreadPool::park); OpenMP kernels and the host get the cores back parked.
  bool pool_awake = false;
  for (size_t i = 0; i < kernels_.size(); ++i) {
    const auto start = profiling_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    const bool on_pool = backend_runtimes_[static_cast<size_t>(ops[i].backend)] == ThreadRuntime::kSessionPool;
    if (!on_pool && pool_awake) {
      threadpool_->park();
      pool_awake = false;
    }
    // Layout conversions run on the threads of the kernel they serve.
    pthreadpool_t conversion_pool = on_pool ? context_.threadpool : nullptr;
    run_conversions(ops[i].before, conversion_pool);
    const Status s = kernels_[i]->run();
    if (!s.ok()) {
      threadpool_->park();
      return fail_op(static_cast<int>(i), s);
    }
    run_conversions(ops[i].after, conversion_pool);
    pool_awake = pool_awake || on_pool;
    if (profiling_) {
      const uint64_t ns = elapsed_ns(start);
      record(op_profile_[i], ns);
      const int block = model_.op(static_cast<int>(i)).block;
      if (block >= 0) block_scratch_ns_[static_cast<size_t>(block)] += ns;
    }
  }
  if (pool_awake) threadpool_->park();
  if (profiling_) {
    for (size_t b = 0; b < block_profile_.size(); ++b) {
      record(block_profile_[b], block_scratch_ns_[b]);
      block_scratch_ns_[b] = 0;
    }
  }
  has_run_ = true;
  return Status::Ok();
}

Status Session::output(size_t index, const void** data, size_t* bytes) const {
  if (index >= model_.outputs().size()) {
    return InvalidArgument("output index " + std::to_string(index) + " is out of range (the model has " +
                           std::to_string(model_.outputs().size()) + " outputs)");
  }
  if (!has_run_) return InvalidArgument("no output yet: the session has not completed a run");
  *data = slot_data(plan_.output_slot(index));
  *bytes = model_.tensor(model_.outputs()[index]).byte_size;
  return Status::Ok();
}

const char* Session::op_backend_name(int op) const {
  return backend_names_[static_cast<size_t>(plan_.ops()[static_cast<size_t>(op)].backend)].c_str();
}

void Session::count_backend_usage() {
  std::vector<size_t> counts(backends_.size(), 0);
  for (const OpPlan& op : plan_.ops()) counts[static_cast<size_t>(op.backend)] += 1;
  backend_usage_.clear();
  // Later backends first, so that a stable sort breaks ties towards the
  // requested backend (the last one).
  for (size_t b = backends_.size(); b-- > 0;) {
    if (counts[b] > 0) backend_usage_.push_back(BackendUsage{backend_names_[b].c_str(), counts[b]});
  }
  std::stable_sort(backend_usage_.begin(), backend_usage_.end(),
                   [](const BackendUsage& a, const BackendUsage& b) { return a.operators > b.operators; });
}

const char* Session::backend_name() const {
  return backend_usage_.empty() ? backend_names_.back().c_str() : backend_usage_.front().name;
}

const char* Session::block_backend_name(size_t block) const {
  const BlockInfo& info = model_.blocks()[block];
  const int first = plan_.ops()[info.first_operator].backend;
  for (uint32_t op = info.first_operator; op < info.first_operator + info.operator_count; ++op) {
    if (plan_.ops()[op].backend != first) return "mixed";
  }
  return backend_names_[static_cast<size_t>(first)].c_str();
}

void Session::reset_profile() {
  for (auto& c : op_profile_) c = ProfileCounter{};
  for (auto& c : block_profile_) c = ProfileCounter{};
}

}  // namespace bespoke::rt
