// The oneDNN engine and stream of one backend instance, shared by all of its
// kernels (kernels keep it alive through a shared_ptr). On the CPU engine a
// stream executes synchronously on the calling thread; like the session, a
// backend's kernels are driven by one thread at a time.
#pragma once

#include <memory>

#include "backends/onednn/onednn_handles.h"
#include "core/status.h"

namespace bespoke::rt::onednn {

class Context {
 public:
  static Status create(std::shared_ptr<Context>* out);

  dnnl_engine_t engine() const { return engine_.get(); }
  dnnl_stream_t stream() const { return stream_.get(); }
  // oneDNN's kernels may use AVX-512 (honours ONEDNN_MAX_CPU_ISA).
  bool has_avx512() const { return has_avx512_; }

 private:
  Context() = default;
  EnginePtr engine_;
  StreamPtr stream_;
  bool has_avx512_ = false;
};

}  // namespace bespoke::rt::onednn
