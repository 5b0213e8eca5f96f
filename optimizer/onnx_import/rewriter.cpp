#include <algorithm>

#include "ir/op_params.h"
#include "onnx_import/legalize_rules.h"

namespace bespoke::onnx_import::detail {

std::string value_label(const ir::Graph& g, int value) {
  return "'" + g.values.at(static_cast<size_t>(value)).name + "'";
}

void require_float_input(Rewriter& rw, size_t position) {
  const int v = rw.node().input(position);
  if (v < 0) return;
  const ir::Value& value = rw.graph().values[static_cast<size_t>(v)];
  if (value.dtype != ir::DType::kF32)
    rw.fail("only float32 tensors are supported, input " + value_label(rw.graph(), v) + " is " +
            ir::dtype_name(value.dtype));
}

ir::Shape Rewriter::input_shape(size_t i) const {
  const int v = node_.input(i);
  if (v < 0) fail("input " + std::to_string(i) + " is missing");
  const auto& shape = g_.values[static_cast<size_t>(v)].shape;
  if (!shape) not_yet("the shape of input " + value_label(g_, v) + " is unknown");
  return *shape;
}

const ir::TensorData& Rewriter::constant_input(size_t i, const std::string& what) const {
  const int v = node_.input(i);
  if (v < 0) fail(what + " is missing");
  const auto& value = g_.values[static_cast<size_t>(v)];
  if (!value.constant) not_yet(what + " must be a constant, but " + value_label(g_, v) + " is computed at run time");
  return *value.constant;
}

namespace {
template <typename T>
std::optional<std::vector<T>> param_values(const Rewriter& rw, const ir::Param<T>& p, const std::string& attr,
                                           int input) {
  if (p.absent()) return std::nullopt;
  if (p.pending())
    rw.not_yet("parameter '" + attr + "' (input " + std::to_string(input) +
               ") must be a constant, but it is computed at run time");
  return p.values;
}
}  // namespace

std::optional<std::vector<int64_t>> Rewriter::int_param(const std::string& attr, int input) const {
  return param_values(*this, ir::int_param(g_, node_, attr, input), attr, input);
}

std::optional<std::vector<double>> Rewriter::float_param(const std::string& attr, int input) const {
  return param_values(*this, ir::float_param(g_, node_, attr, input), attr, input);
}

bool Rewriter::output_used(size_t i) const {
  if (i >= node_.outputs.size()) return false;
  const int v = node_.outputs[i];
  if (std::find(g_.outputs.begin(), g_.outputs.end(), v) != g_.outputs.end()) return true;
  return !g_.consumers(v).empty();
}

ir::Node Rewriter::canonical(const std::string& op) const {
  ir::Node n;
  n.name = node_.name;
  n.op = op;
  n.inputs = node_.inputs;
  while (!n.inputs.empty() && n.inputs.back() < 0) n.inputs.pop_back();
  n.outputs = node_.outputs;
  return n;
}

std::string Rewriter::base_name() const {
  if (!node_.name.empty()) return node_.name;
  return node_.outputs.empty() ? node_.op : g_.values[static_cast<size_t>(node_.outputs[0])].name;
}

ir::Node Rewriter::make(const std::string& op, std::vector<int> inputs, std::vector<int> outputs,
                        const std::string& suffix) const {
  ir::Node n;
  n.name = base_name() + "/" + suffix;
  n.op = op;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  return n;
}

int Rewriter::add_value(const std::string& suffix, const ir::Shape& shape) {
  ir::Value v;
  v.name = g_.unique_name(base_name() + "/" + suffix);
  v.dtype = ir::DType::kF32;
  v.shape = shape;
  return g_.add_value(std::move(v));
}

int Rewriter::add_constant(const std::string& suffix, ir::TensorData data) {
  return g_.add_constant(g_.unique_name(base_name() + "/" + suffix), std::move(data));
}

void Rewriter::set_shape(int value, const ir::Shape& shape) {
  auto& v = g_.values[static_cast<size_t>(value)];
  if (v.shape && *v.shape != shape)
    fail("output " + value_label(g_, value) + " was inferred as " + ir::shape_string(*v.shape) +
         " but the operator computes " + ir::shape_string(shape));
  v.shape = shape;
}

}  // namespace bespoke::onnx_import::detail
