#include "common/cpu_description.h"

#include <unistd.h>
#include <fstream>

#if defined(BESPOKE_TOOLS_HAVE_CPUINFO)
#include <cpuinfo.h>
#endif

namespace bespoke::tools {
namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  const size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// First "model name" (x86) or "Hardware"/"Processor" (ARM) in /proc/cpuinfo.
std::string proc_cpuinfo_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  for (const char* key : {"model name", "Hardware", "Processor"}) {
    in.clear();
    in.seekg(0);
    while (std::getline(in, line)) {
      if (line.rfind(key, 0) == 0) {
        const size_t colon = line.find(':');
        if (colon != std::string::npos) return trim(line.substr(colon + 1));
      }
    }
  }
  return "unknown";
}

[[maybe_unused]] void add(std::string* list, bool present, const char* name) {
  if (!present) return;
  if (!list->empty()) *list += ",";
  *list += name;
}

}  // namespace

CpuDescription describe_cpu() {
  CpuDescription d;
  const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  d.cores = cores > 0 ? static_cast<int>(cores) : 0;
  d.name = proc_cpuinfo_name();
#if defined(BESPOKE_TOOLS_HAVE_CPUINFO)
  if (cpuinfo_initialize()) {
    const cpuinfo_package* package = cpuinfo_get_package(0);
    if (package != nullptr && package->name[0] != '\0') d.name = package->name;
#if CPUINFO_ARCH_X86 || CPUINFO_ARCH_X86_64
    add(&d.isa, cpuinfo_has_x86_sse2(), "sse2");
    add(&d.isa, cpuinfo_has_x86_sse4_1(), "sse4.1");
    add(&d.isa, cpuinfo_has_x86_avx(), "avx");
    add(&d.isa, cpuinfo_has_x86_avx2(), "avx2");
    add(&d.isa, cpuinfo_has_x86_fma3(), "fma");
    add(&d.isa, cpuinfo_has_x86_avx512f(), "avx512f");
#elif CPUINFO_ARCH_ARM || CPUINFO_ARCH_ARM64
    add(&d.isa, cpuinfo_has_arm_neon(), "neon");
    add(&d.isa, cpuinfo_has_arm_neon_fp16_arith(), "fp16");
    add(&d.isa, cpuinfo_has_arm_neon_dot(), "dot");
#endif
  }
#endif
  if (d.isa.empty()) d.isa = "unknown";
  return d;
}

}  // namespace bespoke::tools
