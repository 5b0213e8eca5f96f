#include "house/graph_rewrite.h"

#include <cstring>

#include "ir/passes.h"

namespace bespoke::house {

std::vector<float> constant_floats(const ir::Graph& g, int v) {
  const ir::Value& value = g.values.at(static_cast<size_t>(v));
  if (!value.constant || value.constant->dtype != ir::DType::kF32)
    throw ir::GraphError("value '" + value.name + "' is not a float32 constant");
  std::vector<float> out(static_cast<size_t>(value.constant->elements()));
  std::memcpy(out.data(), value.constant->bytes.data(), out.size() * sizeof(float));
  return out;
}

void replace_constant_input(ir::Graph& g, int n, size_t slot, const ir::Shape& shape, std::vector<float> values) {
  const int old = g.nodes.at(static_cast<size_t>(n)).inputs.at(slot);
  const std::string name = g.unique_name(g.values.at(static_cast<size_t>(old)).name);
  const int id = g.add_constant(name, ir::TensorData::from_floats(shape, values));
  g.nodes[static_cast<size_t>(n)].inputs[slot] = id;
}

void settle_rewritten(ir::Graph& g) {
  for (size_t v = 0; v < g.values.size(); ++v) {
    ir::Value& value = g.values[v];
    if (!value.is_constant() && static_cast<int>(v) != g.inputs.at(0)) value.shape.reset();
  }
  ir::infer_shapes(g);
  ir::eliminate_dead_code(g);
  const std::vector<std::string> problems = ir::validate(g, true);
  if (!problems.empty()) {
    std::string text = "rewritten graph '" + g.name + "' is invalid:";
    for (const std::string& p : problems) text += " " + p + ";";
    throw ir::GraphError(text);
  }
}

bool is_plain_conv(const ir::Node& n) { return n.op == "Conv" && n.get_int("group", 1) == 1 && n.input(1) >= 0; }

}  // namespace bespoke::house
