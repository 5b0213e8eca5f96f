// import_onnx / import_onnx_bytes: a checked ModelProto -> IR in the ONNX
// dialect. Structural problems (undefined names, unsupported input types,
// bad tensors) are collected and reported together.
#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "ir/op_params.h"
#include "onnx_import/import_messages.h"
#include "onnx_import/model_proto.h"
#include "onnx_import/onnx_importer.h"
#include "onnx_import/tensor_conversion.h"

namespace bespoke::onnx_import {

namespace {

using detail::one_line;

// The size an example --input-shape line suggests for a dynamic dimension.
constexpr int64_t kExampleDim = 224;

std::string names_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class GraphImporter {
 public:
  GraphImporter(const detail::ParsedModel& model, const ImportOptions& options, const std::string& source,
                ImportReport* report)
      : model_(model.proto), graph_proto_(model.proto.graph()), options_(options), source_(source), report_(report) {
    g_.metadata.emplace_back("onnx_opset", std::to_string(model.opset));
    g_.metadata.emplace_back("onnx_source_opset", std::to_string(model.source_opset));
  }

  ir::Graph run() {
    collect_dtype_hints();
    import_initializers();
    import_inputs();
    declare_node_outputs();
    import_nodes();
    import_outputs();
    record_metadata();
    if (!problems_.empty()) throw ImportError(source_ + ": " + detail::join_problems(problems_));
    return std::move(g_);
  }

 private:
  void problem(const std::string& text) { problems_.push_back(one_line(text)); }

  // Registers `name` -> value id; a second definition of a name is a problem.
  void define(const std::string& name, int id, const std::string& what) {
    if (!ids_.emplace(name, id).second) problem(what + " defines '" + name + "', which is already defined");
  }

  int lookup(const std::string& name) const {
    auto it = ids_.find(name);
    return it == ids_.end() ? -1 : it->second;
  }

  static std::string node_label(const onnx::NodeProto& node) {
    std::string label = "node '" + node.name() + "'";
    if (node.name().empty()) label = node.output_size() > 0 ? "node producing '" + node.output(0) + "'" : "node";
    return label + " (" + node.op_type() + ")";
  }

  void collect_dtype_hints() {
    auto hint = [&](const onnx::ValueInfoProto& vi) {
      if (!vi.type().has_tensor_type()) return;
      if (auto dtype = ir::dtype_from_onnx(vi.type().tensor_type().elem_type())) dtype_hints_[vi.name()] = *dtype;
    };
    for (const auto& vi : graph_proto_.value_info()) hint(vi);
    for (const auto& vi : graph_proto_.output()) hint(vi);
  }

  void import_initializers() {
    for (const auto& t : graph_proto_.initializer()) {
      try {
        const int id = g_.add_constant(t.name(), detail::tensor_from_proto(t, "initializer '" + t.name() + "'"));
        define(t.name(), id, "initializer");
      } catch (const ImportError& e) {
        problem(e.what());
      }
    }
  }

  // Static shape of graph input `vi`: ImportOptions first, then the model's
  // dims. A dynamic batch dimension (the first of rank >= 2) becomes
  // default_batch with a note; any other dynamic dimension is refused, since
  // a guessed spatial size converts to a model that computes nothing useful.
  std::optional<ir::Shape> input_shape(const onnx::ValueInfoProto& vi) {
    const std::string what = "graph input '" + vi.name() + "'";
    const auto& tensor_type = vi.type().tensor_type();
    std::optional<std::vector<std::optional<int64_t>>> declared;
    std::string symbolic = "[";  // the declared shape as the model spells it: [N,3,H,W], '?' for unnamed
    if (tensor_type.has_shape()) {
      declared.emplace();
      for (const auto& dim : tensor_type.shape().dim()) {
        const bool fixed = dim.has_dim_value() && dim.dim_value() > 0;
        declared->push_back(fixed ? std::optional<int64_t>(dim.dim_value()) : std::nullopt);
        symbolic += (declared->size() > 1 ? "," : "") + (fixed                     ? std::to_string(dim.dim_value())
                                                         : dim.dim_param().empty() ? "?"
                                                                                   : dim.dim_param());
      }
    }
    symbolic += "]";
    auto given = options_.input_shapes.find(vi.name());
    if (given != options_.input_shapes.end()) {
      const ir::Shape& shape = given->second;
      for (int64_t d : shape)
        if (d <= 0) {
          problem(what + ": the given shape " + ir::shape_string(shape) + " has a non-positive dimension");
          return std::nullopt;
        }
      if (declared) {
        bool conflict = declared->size() != shape.size();
        for (size_t i = 0; !conflict && i < shape.size(); ++i) conflict = (*declared)[i] && *(*declared)[i] != shape[i];
        if (conflict) {
          problem(what + ": the given shape " + ir::shape_string(shape) + " conflicts with the model's " + symbolic);
          return std::nullopt;
        }
      }
      return shape;
    }
    if (!declared) {
      problem(what + " has no shape in the model; give one with ImportOptions::input_shapes (--input-shape " +
              vi.name() + "=...)");
      return std::nullopt;
    }
    if (options_.default_batch <= 0) {
      problem("ImportOptions::default_batch must be positive");
      return std::nullopt;
    }
    ir::Shape shape;
    bool refused = false, batch_defaulted = false;
    std::string example;
    for (size_t i = 0; i < declared->size(); ++i) {
      const bool batch = i == 0 && declared->size() >= 2;
      const auto& d = (*declared)[i];
      refused = refused || (!d && !batch);
      batch_defaulted = batch_defaulted || (!d && batch);
      shape.push_back(d ? *d : batch ? options_.default_batch : kExampleDim);
      example += (i ? "," : "") + std::to_string(shape.back());
    }
    if (refused) {
      problem(what + " has the dynamic shape " + symbolic + "; choose the sizes it will run at with --input-shape, " +
              "e.g. --input-shape " + vi.name() + "=" + example + " (ImportOptions::input_shapes)");
      return std::nullopt;
    }
    if (batch_defaulted && report_)
      report_->notes.push_back(what + " " + symbolic + ": dynamic batch dimension set to " +
                               std::to_string(options_.default_batch) + " (--input-shape " + vi.name() + "=" + example +
                               " to choose)");
    return shape;
  }

  void import_inputs() {
    std::vector<std::string> names;
    for (const auto& vi : graph_proto_.input()) {
      if (lookup(vi.name()) >= 0) continue;  // an initializer: a constant, not an input
      names.push_back(vi.name());
      const std::string what = "graph input '" + vi.name() + "'";
      rejected_.insert(vi.name());  // until accepted: readers of a rejected input are not reported again
      if (!vi.type().has_tensor_type()) {
        problem(what + " is not a tensor (sequences, maps and optionals are not supported)");
        continue;
      }
      const int32_t elem = vi.type().tensor_type().elem_type();
      if (elem != onnx::TensorProto::FLOAT) {
        problem(what + " has element type " + detail::onnx_type_name(elem) + "; only FLOAT inputs are supported");
        continue;
      }
      auto shape = input_shape(vi);
      if (!shape) continue;
      rejected_.erase(vi.name());
      ir::Value v;
      v.name = vi.name();
      v.dtype = ir::DType::kF32;
      v.shape = std::move(shape);
      const int id = g_.add_value(std::move(v));
      define(vi.name(), id, what);
      g_.inputs.push_back(id);
    }
    for (const auto& entry : options_.input_shapes) {
      if (std::find(names.begin(), names.end(), entry.first) == names.end())
        problem("input_shapes names '" + entry.first + "', which is not a graph input (inputs: " + names_list(names) +
                ")");
    }
  }

  ir::TensorData constant_node_value(const onnx::NodeProto& node) {
    const std::string where = node_label(node);
    if (node.attribute_size() != 1) throw ImportError(where + ": expected exactly one value attribute");
    const auto& a = node.attribute(0);
    const std::string& key = a.name();
    if (key == "value") return detail::tensor_from_proto(a.t(), where + " value");
    if (key == "value_float") return ir::TensorData::from_floats({}, {a.f()});
    if (key == "value_floats")
      return ir::TensorData::from_floats({a.floats_size()}, {a.floats().begin(), a.floats().end()});
    if (key == "value_int") return ir::TensorData::from_ints({}, {a.i()});
    if (key == "value_ints") return ir::TensorData::from_ints({a.ints_size()}, {a.ints().begin(), a.ints().end()});
    throw ImportError(where + ": '" + key + "' constants are not supported (strings and sparse tensors)");
  }

  // Pass 1: every node output gets a value id (Constant nodes become
  // constants), so that pass 2 can wire inputs whatever the node order.
  void declare_node_outputs() {
    for (const auto& node : graph_proto_.node()) {
      const std::string what = node_label(node);
      if (node.op_type() == "Constant" && detail::is_default_domain(node.domain())) {
        if (node.output_size() != 1) {
          problem(what + ": expected one output");
          continue;
        }
        try {
          define(node.output(0), g_.add_constant(node.output(0), constant_node_value(node)), what);
        } catch (const ImportError& e) {
          problem(e.what());
        }
        continue;
      }
      for (const auto& name : node.output()) {
        if (name.empty()) continue;
        ir::Value v;
        v.name = name;
        auto hint = dtype_hints_.find(name);
        if (hint != dtype_hints_.end()) v.dtype = hint->second;
        define(name, g_.add_value(std::move(v)), what);
      }
    }
  }

  void import_nodes() {
    for (const auto& node : graph_proto_.node()) {
      if (node.op_type() == "Constant" && detail::is_default_domain(node.domain())) continue;
      const std::string what = node_label(node);
      ir::Node n;
      n.name = node.name();
      n.op = detail::is_default_domain(node.domain()) ? node.op_type() : node.domain() + "." + node.op_type();
      for (const auto& name : node.input()) {
        const int id = name.empty() ? -1 : lookup(name);
        if (!name.empty() && id < 0 && !rejected_.count(name))
          problem(what + " reads '" + name + "', which no node, graph input or initializer defines");
        n.inputs.push_back(id);
      }
      while (!n.inputs.empty() && n.inputs.back() < 0) n.inputs.pop_back();  // absent trailing optionals
      int last_output = node.output_size() - 1;
      while (last_output >= 0 && node.output(last_output).empty()) --last_output;
      for (int i = 0; i <= last_output; ++i) {
        const std::string& name = node.output(i);
        if (!name.empty()) {
          n.outputs.push_back(lookup(name));
          continue;
        }
        ir::Value unused;  // an absent optional output before a present one
        unused.name = g_.unique_name((n.name.empty() ? n.op : n.name) + ".unused_output");
        n.outputs.push_back(g_.add_value(std::move(unused)));
      }
      for (const auto& a : node.attribute()) {
        try {
          if (auto value = detail::attribute_from_proto(a, what)) n.attrs[a.name()] = std::move(*value);
        } catch (const ImportError& e) {
          problem(e.what());
        }
      }
      g_.add_node(std::move(n));
    }
  }

  void import_outputs() {
    for (const auto& vi : graph_proto_.output()) {
      const int id = lookup(vi.name());
      if (id < 0) {
        problem("graph output '" + vi.name() + "' is not defined by any node, input or initializer");
        continue;
      }
      g_.outputs.push_back(id);
    }
    if (graph_proto_.output_size() == 0) problem("the graph has no outputs");
  }

  void record_metadata() {
    g_.name = graph_proto_.name();
    if (g_.name.empty()) g_.name = std::filesystem::path(source_).stem().string();
    std::string producer = model_.producer_name();
    if (!model_.producer_version().empty()) producer += (producer.empty() ? "" : " ") + model_.producer_version();
    g_.metadata.emplace_back("onnx_producer", producer);
    g_.metadata.emplace_back("onnx_ir_version", std::to_string(model_.ir_version()));
    g_.metadata.emplace_back("source", source_);
    import_metadata_props();
  }

  // The model's own key/value metadata (author, license, class labels...)
  // travels on as "onnx_meta:<key>", so it cannot shadow the keys above. The
  // bounds are far above real use and keep a hostile file from inflating
  // the output; beyond them the import fails with the entry named.
  void import_metadata_props() {
    constexpr int kMaxEntries = 1024;
    constexpr size_t kMaxKey = 256, kMaxValue = size_t{1} << 20, kMaxTotal = size_t{4} << 20;
    if (model_.metadata_props_size() > kMaxEntries) {
      problem("the model has " + std::to_string(model_.metadata_props_size()) + " metadata_props entries; at most " +
              std::to_string(kMaxEntries) + " are supported");
      return;
    }
    size_t total = 0;
    for (const auto& entry : model_.metadata_props()) {
      const std::string& key = entry.key();
      const std::string& value = entry.value();
      total += key.size() + value.size();
      if (key.empty() || key.size() > kMaxKey || value.size() > kMaxValue || total > kMaxTotal) {
        problem("metadata_props entry '" + key.substr(0, 64) + "' (key " + std::to_string(key.size()) +
                " bytes, value " + std::to_string(value.size()) + " bytes) exceeds the limits: key 1.." +
                std::to_string(kMaxKey) + " bytes, value <= 1 MiB, all entries <= 4 MiB");
        return;
      }
      g_.metadata.emplace_back("onnx_meta:" + key, value);
    }
  }

  const onnx::ModelProto& model_;
  const onnx::GraphProto& graph_proto_;
  const ImportOptions& options_;
  const std::string& source_;
  ImportReport* report_;  // may be null
  ir::Graph g_;
  std::unordered_map<std::string, int> ids_;
  std::unordered_map<std::string, ir::DType> dtype_hints_;
  std::unordered_set<std::string> rejected_;  // graph inputs already reported
  std::vector<std::string> problems_;
};

}  // namespace

ir::Graph import_onnx_bytes(const void* data, size_t size, const ImportOptions& options, const std::string& source,
                            ImportReport* report) {
  const detail::ParsedModel model = detail::parse_model(data, size, source, options.run_checker);
  return GraphImporter(model, options, source, report).run();
}

ir::Graph import_onnx(const std::string& path, const ImportOptions& options, ImportReport* report) {
  const std::string bytes = detail::read_model_file(path);
  return import_onnx_bytes(bytes.data(), bytes.size(), options, path, report);
}

}  // namespace bespoke::onnx_import
