#include "backends/onednn/omp_threads.h"

// The two OpenMP API functions we need, declared here rather than through
// <omp.h>, which belongs to the compiler (GCC ships one, Clang only with
// libomp-dev); the symbols come from the OpenMP runtime oneDNN links (see
// cmake/FindOneDNN.cmake).
extern "C" {
int omp_get_max_threads(void);
void omp_set_num_threads(int num_threads);
}

namespace bespoke::rt::onednn {

OmpThreadScope::OmpThreadScope(int num_threads) : previous_(omp_get_max_threads()), changed_(false) {
  const int wanted = num_threads < 1 ? 1 : num_threads;
  if (wanted != previous_) {
    omp_set_num_threads(wanted);
    changed_ = true;
  }
}

OmpThreadScope::~OmpThreadScope() {
  if (changed_) omp_set_num_threads(previous_);
}

}  // namespace bespoke::rt::onednn
