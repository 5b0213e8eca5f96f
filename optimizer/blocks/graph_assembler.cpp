#include "blocks/graph_assembler.h"

namespace bespoke::blocks {

std::string GraphAssembler::claim(std::unordered_set<std::string>& used,
                                  const std::unordered_set<std::string>& reserved, const std::string& preferred,
                                  const std::string& prefix, bool owner) {
  auto free = [&](const std::string& name) { return !used.count(name) && (owner || !reserved.count(name)); };
  std::string name = preferred;
  if (!free(name)) name = prefix + preferred;
  if (!free(name)) {
    const std::string base = name;
    for (int k = 1; !free(name); ++k) name = base + "_" + std::to_string(k);
  }
  used.insert(name);
  return name;
}

std::string GraphAssembler::claim_value_name(const std::string& preferred, const std::string& prefix, bool owner) {
  return claim(used_values_, reserved_values_, preferred, prefix, owner);
}

std::string GraphAssembler::claim_node_name(const std::string& preferred, const std::string& prefix, bool owner) {
  return claim(used_nodes_, reserved_nodes_, preferred, prefix, owner);
}

int GraphAssembler::add_value(const std::string& preferred, const std::string& prefix, const ir::Shape& shape) {
  ir::Value v;
  v.name = claim_value_name(preferred, prefix, false);
  v.dtype = ir::DType::kF32;
  v.shape = shape;
  return graph.add_value(std::move(v));
}

int GraphAssembler::add_constant(const std::string& preferred, const std::string& prefix, ir::TensorData data) {
  return graph.add_constant(claim_value_name(preferred, prefix, false), std::move(data));
}

PieceCopier::PieceCopier(const ir::Graph& source, GraphAssembler& out, std::string prefix, bool owner)
    : source_(source), out_(out), prefix_(std::move(prefix)), owner_(owner), map_(source.values.size(), -1) {}

int PieceCopier::value(int v) {
  if (v < 0) return -1;
  int& mapped = map_.at(static_cast<size_t>(v));
  if (mapped < 0) {
    ir::Value copy = source_.values[static_cast<size_t>(v)];
    copy.name = out_.claim_value_name(copy.name, prefix_, owner_);
    mapped = out_.graph.add_value(std::move(copy));
  }
  return mapped;
}

void PieceCopier::bind(int v, int result_value) { map_.at(static_cast<size_t>(v)) = result_value; }

int PieceCopier::copy_node(int n) {
  ir::Node copy = source_.nodes.at(static_cast<size_t>(n));
  copy.name = out_.claim_node_name(copy.name, prefix_, owner_);
  for (int& v : copy.inputs) v = value(v);
  for (int& v : copy.outputs) v = value(v);
  return out_.graph.add_node(std::move(copy));
}

}  // namespace bespoke::blocks
