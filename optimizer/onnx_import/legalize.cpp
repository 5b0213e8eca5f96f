// legalize(): applies the rule of each node's op type, in rounds. A round
// rewrites every node it can; nodes waiting for a shape or constant are
// retried after shape inference and constant folding have seen the rewritten
// graph. Whatever cannot be rewritten is reported in one ImportError.
#include <set>

#include "ir/op_params.h"
#include "ir/passes.h"
#include "onnx_import/import_messages.h"
#include "onnx_import/legalize_rules.h"
#include "onnx_import/model_proto.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::onnx_import {

namespace {

const detail::RuleTable& rule_table() {
  static const detail::RuleTable table = [] {
    detail::RuleTable rules;
    detail::add_window_rules(rules);
    detail::add_dense_rules(rules);
    detail::add_elementwise_rules(rules);
    detail::add_layout_rules(rules);
    detail::add_resize_rules(rules);
    return rules;
  }();
  return table;
}

std::string short_node_label(const ir::Graph& g, const ir::Node& n) {
  if (!n.name.empty()) return "'" + n.name + "'";
  if (!n.outputs.empty()) return "producing " + detail::value_label(g, n.outputs[0]);
  return "(unnamed)";
}

// "unsupported operators: LogSoftmax (node 'a'), Foo (nodes 'b', 'c')"
std::string unsupported_list(const std::map<std::string, std::vector<std::string>>& unsupported) {
  return std::string("unsupported operator") + (unsupported.size() > 1 ? "s: " : ": ") +
         detail::ops_with_nodes(unsupported);
}

std::string source_prefix(const ir::Graph& g) {
  for (const auto& [key, value] : g.metadata)
    if (key == "source") return value + ": ";
  return "";
}

}  // namespace

namespace detail {
std::string unsupported_operators(const ir::Graph& g) {
  std::map<std::string, std::vector<std::string>> unsupported;
  for (const ir::Node& n : g.nodes)
    if (!rule_table().count(n.op)) unsupported[n.op].push_back(short_node_label(g, n));
  return unsupported.empty() ? std::string() : unsupported_list(unsupported);
}
}  // namespace detail

void legalize(ir::Graph& g) {
  const int opset = ir::onnx_opset(g) > 0 ? ir::onnx_opset(g) : detail::kMaxOpset;
  const auto& rules = rule_table();
  // First output of every node already in canonical form. Value ids are stable
  // across rounds: shape inference and folding add values but never renumber.
  std::set<int> done;
  std::vector<std::string> problems;
  std::map<std::string, std::vector<std::string>> unsupported;
  std::vector<std::string> waiting;
  std::string settle_error;

  for (;;) {
    problems.clear();
    unsupported.clear();
    waiting.clear();
    std::vector<ir::Node> result;
    bool progress = false;
    for (const ir::Node& n : g.nodes) {
      if (n.outputs.empty()) {  // nothing can read it
        progress = true;
        continue;
      }
      if (done.count(n.outputs[0])) {
        result.push_back(n);
        continue;
      }
      auto rule = rules.find(n.op);
      if (rule == rules.end()) {
        unsupported[n.op].push_back(short_node_label(g, n));
        result.push_back(n);
        continue;
      }
      detail::Rewriter rw(g, n, opset);
      try {
        rule->second(rw);
      } catch (const detail::NotYet& e) {
        waiting.push_back(ir::describe(g, n) + ": " + e.reason);
        result.push_back(n);
        continue;
      } catch (const detail::CannotLegalize& e) {
        problems.push_back(ir::describe(g, n) + ": " + e.reason);
        result.push_back(n);
        continue;
      } catch (const ir::GraphError& e) {  // from the shared ONNX-semantics helpers; names the node
        problems.push_back(e.what());
        result.push_back(n);
        continue;
      }
      for (ir::Node& m : rw.take_emitted()) {
        if (!m.outputs.empty()) done.insert(m.outputs[0]);
        result.push_back(std::move(m));
      }
      progress = true;
    }
    g.nodes = std::move(result);
    if (waiting.empty() || !progress || !settle_error.empty()) break;
    try {
      ir::settle_shapes_and_constants(g);
    } catch (const ir::GraphError& e) {
      settle_error = std::string("shape inference failed: ") + e.what();
    }
  }

  if (!settle_error.empty()) problems.insert(problems.begin(), settle_error);
  if (!unsupported.empty()) problems.insert(problems.begin(), unsupported_list(unsupported));
  // Nodes still waiting are usually downstream of the problems above: name
  // them one by one only when they are the whole story.
  if (problems.empty())
    problems = waiting;
  else if (!waiting.empty())
    problems.push_back(std::to_string(waiting.size()) +
                       " more node(s) could not be converted, waiting on the above (first: " + waiting.front() + ")");
  if (problems.empty()) return;
  throw ImportError(source_prefix(g) +
                    "cannot convert to the canonical operator set: " + detail::join_problems(problems));
}

}  // namespace bespoke::onnx_import
