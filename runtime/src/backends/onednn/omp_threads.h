// Thread count of oneDNN's CPU runtime.
//
// Debian's oneDNN is built with the OpenMP runtime (DNNL_CPU_RUNTIME ==
// DNNL_RUNTIME_OMP, libgomp): it has no thread-count API of its own and runs
// every parallel region with omp_get_max_threads() threads of the calling
// thread. That value is also read when a primitive is created (the JIT
// kernels partition work and size their scratchpad for it), so a kernel must
// see the same count at create time and at run time. OmpThreadScope sets the
// calling thread's OpenMP thread count (omp_set_num_threads only changes the
// caller's own ICV) to the session's ExecutionContext::num_threads for one
// scope and restores the host application's value afterwards, so embedding
// the runtime never changes the OpenMP setup of the rest of the process.
//
// Idle workers: between parallel regions libgomp's workers busy-wait for
// GOMP_SPINCOUNT iterations (300,000 by default when OMP_WAIT_POLICY is unset,
// 100 when there are more OpenMP threads than CPUs) and then sleep on a futex,
// so they stop consuming CPU within milliseconds of the last kernel; they only
// spin indefinitely with OMP_WAIT_POLICY=ACTIVE. libgomp reads these variables
// once, when it is loaded (before main), so the runtime cannot change them;
// a host that wants workers to sleep at once sets OMP_WAIT_POLICY=PASSIVE in
// its environment. It should on machines whose cores are shared with other
// busy processes: there spinning workers lose their time slices and every
// parallel region waits for the scheduler (measured with load 13 on 2 cores:
// a 2-thread 1x1 convolution took 28 ms per run by default, 11 us PASSIVE).
#pragma once

namespace bespoke::rt::onednn {

class OmpThreadScope {
 public:
  // num_threads < 1 is treated as 1.
  explicit OmpThreadScope(int num_threads);
  ~OmpThreadScope();
  OmpThreadScope(const OmpThreadScope&) = delete;
  OmpThreadScope& operator=(const OmpThreadScope&) = delete;

 private:
  int previous_;
  bool changed_;
};

}  // namespace bespoke::rt::onednn
