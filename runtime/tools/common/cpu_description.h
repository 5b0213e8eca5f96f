// A one-line description of this machine's CPU for benchmark reports:
// model name (cpuinfo when linked, else /proc/cpuinfo), core count, and the
// SIMD extensions the kernel libraries can dispatch to.
#pragma once

#include <string>

namespace bespoke::tools {

struct CpuDescription {
  std::string name;  // "Intel(R) Xeon(R) ..." or "unknown"
  int cores = 0;     // online logical processors
  std::string isa;   // "sse4.1,avx,avx2,fma,avx512f" / "neon,fp16,dot"
};

CpuDescription describe_cpu();

}  // namespace bespoke::tools
