#include "house/alternative.h"

namespace bespoke::house {

std::string span_key(int cut_begin, int cut_end) {
  return "s" + std::to_string(cut_begin) + "-" + std::to_string(cut_end);
}

uint64_t alternative_seed(uint64_t run_seed, const std::string& key) {
  uint64_t h = 1469598103934665603ULL ^ run_seed;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace bespoke::house
