#include "export/graph_checks.h"

#include <limits>

#include "export/canonical_attrs.h"
#include "export/export_error.h"

namespace bespoke::exporter {

namespace {

bool is_value_id(const ir::Graph& g, int v) { return v >= 0 && static_cast<size_t>(v) < g.values.size(); }

[[noreturn]] void fail_node(const ir::Graph& g, size_t i, const std::string& problem) {
  throw ExportError(describe_node(g.nodes[i], i) + ": " + problem);
}

// Inputs that must be constant: the weights the runtime pre-packs.
bool weight_slot(fb::OpCode code, size_t slot) {
  switch (code) {
    case fb::OpCode::CONV_2D:
    case fb::OpCode::CONV_TRANSPOSE_2D:
    case fb::OpCode::FULLY_CONNECTED: return slot >= 1;
    case fb::OpCode::BATCH_NORM: return slot >= 1;
    default: return false;
  }
}

// Inputs that must not be constant: a product with constant weights is a
// FULLY_CONNECTED (pre-packed), BATCH_MATMUL multiplies run-time tensors.
bool run_time_slot(fb::OpCode code, size_t slot) { return code == fb::OpCode::BATCH_MATMUL && slot < 2; }

}  // namespace

std::string describe_value(const ir::Graph& g, int value) {
  std::string s = "value " + std::to_string(value);
  if (is_value_id(g, value)) s += " '" + g.values[static_cast<size_t>(value)].name + "'";
  return s;
}

void check_values(const ir::Graph& g) {
  if (g.values.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    throw ExportError("graph has " + std::to_string(g.values.size()) + " values, more than int32 can index");
  for (size_t i = 0; i < g.values.size(); ++i) {
    const ir::Value& v = g.values[i];
    auto fail = [&](const std::string& problem) {
      throw ExportError(describe_value(g, static_cast<int>(i)) + ": " + problem);
    };
    if (!v.shape) fail("shape is unknown (run shape inference before export)");
    for (int64_t d : *v.shape)
      if (d < 1 || d > std::numeric_limits<int32_t>::max())
        fail("dimension " + std::to_string(d) + " of shape " + ir::shape_string(*v.shape) +
             " is outside [1, 2147483647]");
    if (!v.constant) continue;
    const ir::TensorData& c = *v.constant;
    if (c.dtype != v.dtype)
      fail(std::string("constant data is ") + ir::dtype_name(c.dtype) + " but the value is " + ir::dtype_name(v.dtype));
    if (c.shape != *v.shape)
      fail("constant data has shape " + ir::shape_string(c.shape) + " but the value has " + ir::shape_string(*v.shape));
    uint64_t expected = static_cast<uint64_t>(c.elements()) * ir::dtype_size(c.dtype);
    if (c.bytes.size() != expected)
      fail("constant data has " + std::to_string(c.bytes.size()) + " bytes, shape and dtype need " +
           std::to_string(expected));
  }
}

const BspkOpInfo& check_node(const ir::Graph& g, size_t i) {
  const ir::Node& n = g.nodes[i];
  const BspkOpInfo* info = find_op(n.op);
  if (!info)
    fail_node(g, i,
              "'" + n.op + "' is not a canonical op (auxiliary or unsupported ops must be removed before export)");
  std::string arity = check_arity(*info, n.inputs, n.outputs);
  if (!arity.empty()) fail_node(g, i, arity);
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    int v = n.inputs[k];
    if (v == -1) continue;
    if (!is_value_id(g, v))
      fail_node(g, i, "input " + std::to_string(k) + " refers to unknown value " + std::to_string(v));
    if (weight_slot(info->code, k) && !g.values[static_cast<size_t>(v)].is_constant())
      fail_node(g, i, "weight input " + std::to_string(k) + " (" + describe_value(g, v) + ") must be constant");
    if (run_time_slot(info->code, k) && g.values[static_cast<size_t>(v)].is_constant())
      fail_node(g, i,
                "input " + std::to_string(k) + " (" + describe_value(g, v) +
                    ") must be computed at run time, not constant (constant weights are a FullyConnected)");
  }
  for (size_t k = 0; k < n.outputs.size(); ++k)
    if (!is_value_id(g, n.outputs[k]))
      fail_node(g, i, "output " + std::to_string(k) + " refers to unknown value " + std::to_string(n.outputs[k]));
  return *info;
}

void check_execution_order(const ir::Graph& g) {
  std::vector<bool> defined(g.values.size(), false);
  for (size_t v = 0; v < g.values.size(); ++v) defined[v] = g.values[v].is_constant();
  for (int v : g.inputs) {
    if (!is_value_id(g, v)) throw ExportError("graph input refers to unknown value " + std::to_string(v));
    defined[static_cast<size_t>(v)] = true;
  }
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (int v : g.nodes[i].inputs)
      if (v >= 0 && !defined[static_cast<size_t>(v)])
        fail_node(g, i,
                  "input " + describe_value(g, v) +
                      " is neither a constant, a graph input nor an output of an earlier node "
                      "(nodes must be in execution order)");
    for (int v : g.nodes[i].outputs) {
      if (defined[static_cast<size_t>(v)])
        fail_node(g, i,
                  "output " + describe_value(g, v) + " is already defined (constant, graph input or earlier node)");
      defined[static_cast<size_t>(v)] = true;
    }
  }
  for (int v : g.outputs)
    if (!is_value_id(g, v)) throw ExportError("graph output refers to unknown value " + std::to_string(v));
}

void check_blocks(const ir::Graph& g) {
  int64_t next = 0;
  for (size_t b = 0; b < g.blocks.size(); ++b) {
    const ir::Block& blk = g.blocks[b];
    auto fail = [&](const std::string& problem) {
      throw ExportError("block " + std::to_string(b) + " '" + blk.name + "': " + problem);
    };
    if (blk.first_node != next)
      fail("starts at node " + std::to_string(blk.first_node) + ", expected " + std::to_string(next) +
           " (blocks must partition the nodes in order)");
    if (blk.node_count < 1) fail("has " + std::to_string(blk.node_count) + " nodes, expected at least 1");
    next += blk.node_count;
    if (next > static_cast<int64_t>(g.nodes.size()))
      fail("ends at node " + std::to_string(next) + ", past the " + std::to_string(g.nodes.size()) + " nodes");
    for (int v : {blk.input_value, blk.output_value})
      if (v != -1 && !is_value_id(g, v)) fail("refers to unknown value " + std::to_string(v));
    for (const auto& kv : blk.provenance.parameters)
      if (kv.first.rfind("bespoke.", 0) == 0) fail("provenance parameter key '" + kv.first + "' is reserved");
  }
  if (!g.blocks.empty() && next != static_cast<int64_t>(g.nodes.size()))
    throw ExportError("blocks cover nodes [0, " + std::to_string(next) + ") but the graph has " +
                      std::to_string(g.nodes.size()) + " nodes (blocks must partition the nodes)");
}

}  // namespace bespoke::exporter
