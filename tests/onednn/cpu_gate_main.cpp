// Run under `qemu-x86_64 -cpu core2duo` (an x86-64 without SSE4.1):
// make_onednn_backend() must return nullptr there instead of letting oneDNN's
// JIT execute instructions the CPU lacks, while the reference backend keeps
// working. Natively, the factory must succeed exactly when the CPU has SSE4.1.
//   onednn_cpu_gate            -> exit 0 if the factory agrees with this CPU
#include <cstdio>
#include <memory>

#include "backends/backend.h"

int main() {
  __builtin_cpu_init();
  const bool has_sse41 = __builtin_cpu_supports("sse4.1");
  const std::unique_ptr<bespoke::rt::Backend> onednn = bespoke::rt::make_onednn_backend();
  const std::unique_ptr<bespoke::rt::Backend> reference = bespoke::rt::make_reference_backend();
  std::printf("sse4.1: %s, onednn backend: %s, reference backend: %s\n", has_sse41 ? "yes" : "no",
              onednn ? "available" : "unavailable", reference ? "available" : "unavailable");
  if (reference == nullptr) return 1;
  return (onednn != nullptr) == has_sse41 ? 0 : 1;
}
