// validate(): the problems that make a graph unexportable, each naming the
// node or value. Structure (ids, definition before use, single producer,
// constant payloads, known shapes) always; with require_canonical also the
// op_set.h contract of every node (op_checks.cpp).
#include <algorithm>

#include "ir/op_checks.h"
#include "ir/op_params.h"
#include "ir/op_set.h"
#include "ir/passes.h"

namespace bespoke::ir {

namespace {

class Validator {
 public:
  Validator(const Graph& g, bool require_canonical)
      : g_(g), canonical_(require_canonical), defined_(g.values.size(), false), produced_(g.values.size(), false) {
    for (const Node& n : g.nodes)
      for (int v : n.outputs)
        if (valid_id(v)) produced_[static_cast<size_t>(v)] = true;
  }

  std::vector<std::string> run() {
    for (size_t v = 0; v < g_.values.size(); ++v) check_value(v);
    for (int v : g_.inputs) {
      if (!valid_id(v)) {
        problems_.push_back("graph input id " + std::to_string(v) + " is out of range");
        continue;
      }
      defined_[static_cast<size_t>(v)] = true;
      check_shape(v, "graph input");
    }
    for (const Node& n : g_.nodes) check_node(n);
    for (int v : g_.outputs) {
      if (!valid_id(v))
        problems_.push_back("graph output id " + std::to_string(v) + " is out of range");
      else if (!defined_[static_cast<size_t>(v)])
        problems_.push_back("graph output '" + name(v) + "' is never produced");
    }
    if (g_.outputs.empty()) problems_.push_back("graph has no outputs");
    check_blocks();
    return problems_;
  }

 private:
  bool valid_id(int v) const { return v >= 0 && v < static_cast<int>(g_.values.size()); }
  const std::string& name(int v) const { return g_.values[static_cast<size_t>(v)].name; }

  void check_value(size_t v) {
    const Value& value = g_.values[v];
    if (!value.constant) return;
    defined_[v] = true;
    const TensorData& t = *value.constant;
    const auto count = checked_elements(t.shape);
    if (!count || *count > static_cast<int64_t>(t.bytes.size()) ||
        t.bytes.size() != static_cast<size_t>(*count) * dtype_size(t.dtype))
      problems_.push_back("constant '" + value.name + "' holds " + std::to_string(t.bytes.size()) +
                          " bytes, which does not match its shape " + shape_string(t.shape) + " of " +
                          dtype_name(t.dtype));
    if (!value.shape || *value.shape != t.shape || value.dtype != t.dtype)
      problems_.push_back("constant '" + value.name + "' is declared " + dtype_name(value.dtype) + " " +
                          (value.shape ? shape_string(*value.shape) : "[?]") + " but holds " + dtype_name(t.dtype) +
                          " " + shape_string(t.shape));
  }

  void check_shape(int v, const std::string& role) {
    const Value& value = g_.values[static_cast<size_t>(v)];
    if (!value.shape)
      problems_.push_back(role + " '" + value.name + "' has an unknown shape");
    else if (std::any_of(value.shape->begin(), value.shape->end(), [](int64_t d) { return d < 0; }))
      problems_.push_back(role + " '" + value.name + "' has a dynamic shape " + shape_string(*value.shape));
  }

  void check_node(const Node& n) {
    const std::string where = describe(g_, n);
    bool ids_ok = true;
    for (int v : n.inputs) {
      if (v == -1) continue;
      if (!valid_id(v)) {
        problems_.push_back(where + ": input id " + std::to_string(v) + " is out of range");
        ids_ok = false;
      } else if (!defined_[static_cast<size_t>(v)]) {
        problems_.push_back(where + ": input '" + name(v) + "' is " +
                            (produced_[static_cast<size_t>(v)] ? "used before it is defined" : "never defined"));
      }
    }
    for (int v : n.outputs) {
      if (!valid_id(v)) {
        problems_.push_back(where + ": output id " + std::to_string(v) + " is out of range");
        ids_ok = false;
        continue;
      }
      if (defined_[static_cast<size_t>(v)])
        problems_.push_back(where + ": output '" + name(v) +
                            "' is already defined (graph input, constant or another node)");
      defined_[static_cast<size_t>(v)] = true;
      check_shape(v, where + ": output");
    }
    if (!ids_ok) return;
    if (canonical_ && !is_canonical_op(n.op)) {
      problems_.push_back(where + ": '" + n.op + "' is not in the canonical op set (legalize or fold it first)");
      return;
    }
    OpChecker checker(g_, n, canonical_, problems_);
    if (canonical_)
      check_canonical_op(checker);
    else
      check_constant_parameters(checker);
  }

  void check_blocks() {
    for (const Block& b : g_.blocks) {
      const std::string where = "block " + std::to_string(b.id) + " '" + b.name + "'";
      if (b.first_node < 0 || b.node_count < 1 ||
          static_cast<size_t>(b.first_node) + static_cast<size_t>(b.node_count) > g_.nodes.size()) {
        problems_.push_back(where + ": node range is outside the graph");
        continue;
      }
      if (!valid_id(b.input_value) || !valid_id(b.output_value))
        problems_.push_back(where + ": input or output value id is out of range");
    }
  }

  const Graph& g_;
  const bool canonical_;
  std::vector<bool> defined_;
  std::vector<bool> produced_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> validate(const Graph& g, bool require_canonical) {
  return Validator(g, require_canonical).run();
}

}  // namespace bespoke::ir
