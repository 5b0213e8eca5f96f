// The expected output of small_cnn_model (test_models.h), computed in
// double precision straight from the operator definitions in bespoke.fbs,
// independently of every backend: the reference the runtime and tool tests
// compare real values against.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "runtime/test_models.h"

namespace bespoke::test {

// Naive forward pass of small_cnn_model(seed), written from the operator
// definitions in bespoke.fbs, independently of any backend.
inline std::vector<float> naive_small_cnn(const std::vector<float>& x, uint32_t seed) {
  const auto w = seeded_values(108, seed), b = seeded_values(4, seed + 1);
  const auto fw = seeded_values(12, seed + 2), fb = seeded_values(3, seed + 3);
  float conv[4][8][8];
  for (int m = 0; m < 4; ++m)
    for (int y = 0; y < 8; ++y)
      for (int xx = 0; xx < 8; ++xx) {
        double acc = b[static_cast<size_t>(m)];
        for (int c = 0; c < 3; ++c)
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              const int iy = y + ky - 1, ix = xx + kx - 1;
              if (iy < 0 || iy >= 8 || ix < 0 || ix >= 8) continue;
              acc += static_cast<double>(w[static_cast<size_t>(((m * 3 + c) * 3 + ky) * 3 + kx)]) *
                     x[static_cast<size_t>((c * 8 + iy) * 8 + ix)];
            }
        conv[m][y][xx] = std::max(0.0f, static_cast<float>(acc));
      }
  double gap[4];
  for (int m = 0; m < 4; ++m) {
    double sum = 0;
    for (int y = 0; y < 4; ++y)
      for (int xx = 0; xx < 4; ++xx) {
        float v = conv[m][2 * y][2 * xx];
        v = std::max({v, conv[m][2 * y][2 * xx + 1], conv[m][2 * y + 1][2 * xx], conv[m][2 * y + 1][2 * xx + 1]});
        sum += v;
      }
    gap[m] = sum / 16;
  }
  double logits[3], peak = -1e30, total = 0;
  for (int n = 0; n < 3; ++n) {
    logits[n] = fb[static_cast<size_t>(n)];
    for (int k = 0; k < 4; ++k) logits[n] += static_cast<double>(fw[static_cast<size_t>(n * 4 + k)]) * gap[k];
    peak = std::max(peak, logits[n]);
  }
  for (double& l : logits) total += std::exp(l - peak);
  std::vector<float> out(3);
  for (int n = 0; n < 3; ++n) out[static_cast<size_t>(n)] = static_cast<float>(std::exp(logits[n] - peak) / total);
  return out;
}

}  // namespace bespoke::test
