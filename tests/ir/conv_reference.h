// Shared by the Conv / ConvTranspose folding tests: the layer under test (random
// data, ONNX or canonical attributes) and naive NCHW (transposed) convolutions to
// check the folded weights and biases against.
#pragma once

#include <cstdint>
#include <vector>

#include "support/graph_builder.h"

namespace bespoke::test {

struct ConvSpec {
  int64_t n = 1, c = 4, h = 6, w = 5, m = 6, k = 3, group = 2, stride = 1, pad = 1;
  bool transposed = false;     // ConvTranspose instead of Conv
  int64_t output_padding = 0;  // ConvTranspose only

  const char* op() const { return transposed ? "ConvTranspose" : "Conv"; }
  ir::Shape weight_shape() const { return transposed ? ir::Shape{c, m / group, k, k} : ir::Shape{m, c / group, k, k}; }
};

// An upsampling ConvTranspose: stride 2, output_padding 1.
inline ConvSpec strided_transpose(int64_t group) {
  ConvSpec s;
  s.transposed = true;
  s.group = group;
  s.stride = 2;
  s.output_padding = 1;
  return s;
}

// Direct NCHW convolution (weights [M, C/group, k, k], optional bias).
inline std::vector<float> naive_conv(const ConvSpec& s, const std::vector<float>& x, const std::vector<float>& w,
                                     const std::vector<float>* bias, int64_t& oh, int64_t& ow) {
  oh = (s.h + 2 * s.pad - s.k) / s.stride + 1;
  ow = (s.w + 2 * s.pad - s.k) / s.stride + 1;
  const int64_t cg = s.c / s.group, mg = s.m / s.group;
  std::vector<float> y(static_cast<size_t>(s.n * s.m * oh * ow));
  for (int64_t b = 0; b < s.n; ++b)
    for (int64_t o = 0; o < s.m; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double acc = bias ? (*bias)[static_cast<size_t>(o)] : 0.0;
          const int64_t g = o / mg;
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t ki = 0; ki < s.k; ++ki)
              for (int64_t kj = 0; kj < s.k; ++kj) {
                const int64_t yi = i * s.stride - s.pad + ki, xj = j * s.stride - s.pad + kj;
                if (yi < 0 || yi >= s.h || xj < 0 || xj >= s.w) continue;
                const int64_t c = g * cg + ci;
                acc += static_cast<double>(x[static_cast<size_t>(((b * s.c + c) * s.h + yi) * s.w + xj)]) *
                       w[static_cast<size_t>(((o * cg + ci) * s.k + ki) * s.k + kj)];
              }
          y[static_cast<size_t>(((b * s.m + o) * oh + i) * ow + j)] = static_cast<float>(acc);
        }
  return y;
}

// Direct NCHW transposed convolution (weights [C, M/group, k, k], optional bias):
// input element (c, i, j) scatters w[c][jo] into output channel group(c) * M/group + jo.
inline std::vector<float> naive_conv_transpose(const ConvSpec& s, const std::vector<float>& x,
                                               const std::vector<float>& w, const std::vector<float>* bias, int64_t& oh,
                                               int64_t& ow) {
  oh = (s.h - 1) * s.stride - 2 * s.pad + s.k + s.output_padding;
  ow = (s.w - 1) * s.stride - 2 * s.pad + s.k + s.output_padding;
  const int64_t cg = s.c / s.group, mg = s.m / s.group;
  std::vector<double> acc(static_cast<size_t>(s.n * s.m * oh * ow));
  for (size_t e = 0; e < acc.size(); ++e)
    acc[e] = bias ? (*bias)[e / static_cast<size_t>(oh * ow) % static_cast<size_t>(s.m)] : 0.0;
  for (int64_t b = 0; b < s.n; ++b)
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t i = 0; i < s.h; ++i)
        for (int64_t j = 0; j < s.w; ++j) {
          const double xv = x[static_cast<size_t>(((b * s.c + c) * s.h + i) * s.w + j)];
          for (int64_t jo = 0; jo < mg; ++jo)
            for (int64_t ki = 0; ki < s.k; ++ki)
              for (int64_t kj = 0; kj < s.k; ++kj) {
                const int64_t yi = i * s.stride - s.pad + ki, yj = j * s.stride - s.pad + kj;
                if (yi < 0 || yi >= oh || yj < 0 || yj >= ow) continue;
                const int64_t o = c / cg * mg + jo;
                acc[static_cast<size_t>(((b * s.m + o) * oh + yi) * ow + yj)] +=
                    xv * w[static_cast<size_t>(((c * mg + jo) * s.k + ki) * s.k + kj)];
              }
        }
  return std::vector<float>(acc.begin(), acc.end());
}

inline std::vector<float> naive_layer(const ConvSpec& s, const std::vector<float>& x, const std::vector<float>& w,
                                      const std::vector<float>* bias, int64_t& oh, int64_t& ow) {
  return s.transposed ? naive_conv_transpose(s, x, w, bias, oh, ow) : naive_conv(s, x, w, bias, oh, ow);
}

// Random input, weight and bias for s (seeds 1-3; tests take further seeds from 4).
struct ConvData {
  std::vector<float> x, w, bias;

  explicit ConvData(const ConvSpec& s)
      : x(random_floats(static_cast<size_t>(s.n * s.c * s.h * s.w), 1)),
        w(random_floats(static_cast<size_t>(ir::shape_elements(s.weight_shape())), 2)),
        bias(random_floats(static_cast<size_t>(s.m), 3)) {}
};

// The attributes of s: only non-defaults as ONNX exports write them, or (canonical)
// every one spelled out as the legalizer leaves them.
inline Attrs conv_attrs(const ConvSpec& s, bool canonical) {
  Attrs attrs{{"group", int_attr(s.group)}, {"pads", ints_attr({s.pad, s.pad, s.pad, s.pad})}};
  if (canonical || s.stride != 1) attrs["strides"] = ints_attr({s.stride, s.stride});
  if (s.transposed && (canonical || s.output_padding != 0))
    attrs["output_padding"] = ints_attr({s.output_padding, s.output_padding});
  if (canonical) {
    attrs["kernel_shape"] = ints_attr({s.k, s.k});
    attrs["dilations"] = ints_attr({1, 1});
  }
  return attrs;
}

// Adds input "x", constants "w" (and "b" with_bias) and the layer "conv" reading them; returns its output.
inline int add_layer(GraphBuilder& b, const ConvSpec& s, const ConvData& d, bool with_bias, const Attrs& attrs) {
  std::vector<int> inputs{b.input("x", {s.n, s.c, s.h, s.w}), b.floats("w", s.weight_shape(), d.w)};
  if (with_bias) inputs.push_back(b.floats("b", {s.m}, d.bias));
  return b.op(s.op(), inputs, attrs, "conv");
}

}  // namespace bespoke::test
