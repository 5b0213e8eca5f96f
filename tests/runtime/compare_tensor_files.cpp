// compare_tensor_files ACTUAL EXPECTED [ATOL]: exit 0 when both tensor files
// (.npy or .pb, read by the tools' own codec) have the same shape and every
// value agrees within ATOL (default 1e-5) + 1e-4 relative; otherwise one line
// on stderr naming the worst element, exit 1. The tool tests use it to check
// real output values, not just that a run printed something.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tensor_io/tensor_file.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: compare_tensor_files ACTUAL EXPECTED [ATOL]\n");
    return 2;
  }
  const double atol = argc == 4 ? std::atof(argv[3]) : 1e-5;
  constexpr double kRtol = 1e-4;
  bespoke::tools::HostTensor actual, expected;
  for (auto [path, tensor] : {std::pair{argv[1], &actual}, std::pair{argv[2], &expected}}) {
    if (const auto status = bespoke::tools::read_tensor_file(path, tensor); !status.ok()) {
      std::fprintf(stderr, "compare_tensor_files: %s\n", status.message().c_str());
      return 1;
    }
  }
  if (actual.dims != expected.dims) {
    std::fprintf(stderr, "compare_tensor_files: shape %s, expected %s\n",
                 bespoke::tools::dims_string(actual.dims).c_str(), bespoke::tools::dims_string(expected.dims).c_str());
    return 1;
  }
  size_t worst = 0, mismatches = 0;
  double worst_excess = 0;
  for (size_t i = 0; i < actual.data.size(); ++i) {
    const double a = actual.data[i], e = expected.data[i];
    const double excess = std::fabs(a - e) - (atol + kRtol * std::fabs(e));
    if (!(excess <= 0)) {  // NaN counts as a mismatch
      ++mismatches;
      if (!(excess <= worst_excess)) worst_excess = excess, worst = i;
    }
  }
  if (mismatches > 0) {
    std::fprintf(stderr, "compare_tensor_files: %zu of %zu values differ; worst [%zu] %g, expected %g\n", mismatches,
                 actual.data.size(), worst, static_cast<double>(actual.data[worst]),
                 static_cast<double>(expected.data[worst]));
    return 1;
  }
  std::printf("%zu values within atol %g + rtol %g\n", actual.data.size(), atol, kRtol);
  return 0;
}
