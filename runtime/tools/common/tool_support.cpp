#include "common/tool_support.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>
#include <random>

namespace bespoke::tools {

int report_error(const char* tool, const std::string& message, int code) {
  std::string line = message;
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::cerr << tool << ": " << line << std::endl;
  return code;
}

const std::vector<std::string>& backend_names() {
  static const std::vector<std::string> names{"auto", "reference", "xnnpack", "onednn"};
  return names;
}

std::string describe_backends(const std::string& requested, const std::vector<BackendUsage>& usage) {
  std::string text = requested + " (";
  for (size_t i = 0; i < usage.size(); ++i) {
    if (i > 0) text += ", ";
    text += usage[i].backend + " " + std::to_string(usage[i].operators);
  }
  return text + (usage.size() == 1 && usage[0].operators == 1 ? " operator)" : " operators)");
}

bsp_backend parse_backend(const std::string& name) {
  if (name == "reference") return BSP_BACKEND_REFERENCE;
  if (name == "xnnpack") return BSP_BACKEND_XNNPACK;
  if (name == "onednn") return BSP_BACKEND_ONEDNN;
  return BSP_BACKEND_AUTO;
}

HostTensor random_input(const TensorInfo& info, uint32_t seed) {
  HostTensor t;
  t.name = info.name;
  t.dims = info.dims;
  t.data.resize(info.element_count());
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.data) v = dist(rng);
  return t;
}

Summary summarize(const std::vector<float>& values) {
  Summary s;
  bool first = true;
  double sum = 0;
  size_t finite = 0;
  for (float v : values) {
    if (!std::isfinite(v)) {
      ++s.non_finite;
      continue;
    }
    s.min = first ? v : std::min(s.min, v);
    s.max = first ? v : std::max(s.max, v);
    first = false;
    sum += v;
    ++finite;
  }
  s.mean = finite > 0 ? sum / static_cast<double>(finite) : 0.0;
  return s;
}

std::vector<size_t> top_k(const std::vector<float>& values, size_t k) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](size_t a, size_t b) { return values[a] > values[b] || (values[a] == values[b] && a < b); });
  order.resize(k);
  return order;
}

}  // namespace bespoke::tools
