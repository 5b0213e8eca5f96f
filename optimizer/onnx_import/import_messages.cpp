#include "onnx_import/import_messages.h"

namespace bespoke::onnx_import::detail {

std::string one_line(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string join_problems(const std::vector<std::string>& problems) {
  std::string out;
  for (size_t i = 0; i < problems.size(); ++i) out += (i ? "; " : "") + one_line(problems[i]);
  return out;
}

std::string ops_with_nodes(const std::map<std::string, std::vector<std::string>>& nodes_by_op) {
  constexpr size_t kShown = 3;
  std::string out;
  for (const auto& [op, nodes] : nodes_by_op) {
    out += (out.empty() ? "" : ", ") + op + " (node" + (nodes.size() > 1 ? "s " : " ");
    for (size_t i = 0; i < nodes.size() && i < kShown; ++i) out += (i ? ", " : "") + nodes[i];
    if (nodes.size() > kShown) out += " and " + std::to_string(nodes.size() - kShown) + " more";
    out += ")";
  }
  return out;
}

}  // namespace bespoke::onnx_import::detail
