// Raw import (ONNX dialect) and the importer's error paths.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "onnx_import/onnx_importer.h"
#include "onnx_model_builder.h"

using bespoke::ir::DType;
using bespoke::ir::Graph;
using bespoke::ir::Shape;
using bespoke::onnx_import::import_onnx;
using bespoke::onnx_import::import_onnx_bytes;
using bespoke::onnx_import::ImportError;
using bespoke::onnx_import::ImportOptions;
using bespoke::test::OnnxModelBuilder;

namespace {

const std::string kTestData = "/usr/share/libonnx-testdata/data";

Graph import(const OnnxModelBuilder& b, const ImportOptions& options = {}) {
  const std::string bytes = b.bytes();
  return import_onnx_bytes(bytes.data(), bytes.size(), options, "test.onnx");
}

// The ImportError message of importing `bytes`, or "" if it imported.
std::string import_error(const std::string& bytes, const ImportOptions& options = {}) {
  try {
    import_onnx_bytes(bytes.data(), bytes.size(), options, "test.onnx");
  } catch (const ImportError& e) {
    return e.what();
  }
  return "";
}

const bespoke::ir::Value& value(const Graph& g, const std::string& name) {
  const int id = g.find_value(name);
  REQUIRE_MESSAGE(id >= 0, "no value " << name);
  return g.values[static_cast<size_t>(id)];
}

const bespoke::ir::Node& node_of_op(const Graph& g, const std::string& op) {
  for (const auto& n : g.nodes)
    if (n.op == op) return n;
  FAIL("no " << op << " node");
  return g.nodes.front();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Conv over a 4-D input with an initializer weight, a Constant bias and a Relu.
OnnxModelBuilder small_conv_model() {
  OnnxModelBuilder b(13, "small_conv");
  b.input("x", {1, 2, 5, 5}).output("y");
  b.ramp_initializer("w", {4, 2, 3, 3});
  auto& bias = b.node("Constant", {}, {"bias"});
  OnnxModelBuilder::set_tensor(bias, "value", OnnxModelBuilder::float_tensor("", {4}, {1, 2, 3, 4}, false));
  auto& conv = b.node("Conv", {"x", "w", "bias"}, {"c"}, "conv1");
  OnnxModelBuilder::set_ints(conv, "pads", {1, 1, 1, 1});
  OnnxModelBuilder::set_int(conv, "group", 1);
  OnnxModelBuilder::set_string(conv, "auto_pad", "NOTSET");
  auto& leaky = b.node("LeakyRelu", {"c"}, {"y"}, "act");
  OnnxModelBuilder::set_float(leaky, "alpha", 0.25f);
  return b;
}

}  // namespace

TEST_CASE("raw import keeps ONNX op types and attributes; initializers and Constant nodes become constants") {
  const Graph g = import(small_conv_model());
  REQUIRE(g.nodes.size() == 2);  // the Constant node is gone
  const auto& conv = node_of_op(g, "Conv");
  CHECK(conv.name == "conv1");
  CHECK(conv.get_ints("pads") == std::vector<int64_t>{1, 1, 1, 1});
  CHECK(std::get<int64_t>(conv.attrs.at("group")) == 1);
  CHECK(std::get<std::string>(conv.attrs.at("auto_pad")) == "NOTSET");
  CHECK(std::get<double>(node_of_op(g, "LeakyRelu").attrs.at("alpha")) == doctest::Approx(0.25));

  const auto& w = value(g, "w");
  REQUIRE(w.is_constant());
  CHECK(w.constant->shape == Shape{4, 2, 3, 3});
  CHECK(w.constant->float_at(71) == doctest::Approx(0.72));
  const auto& bias = value(g, "bias");
  REQUIRE(bias.is_constant());
  CHECK(bias.constant->float_at(3) == 4.0);

  REQUIRE(g.inputs.size() == 1);
  CHECK(value(g, "x").shape == Shape{1, 2, 5, 5});
  CHECK(g.values[static_cast<size_t>(g.outputs.at(0))].name == "y");
  CHECK(g.name == "small_conv");
  bool has_opset = false;
  for (const auto& [k, v] : g.metadata) has_opset = has_opset || (k == "onnx_opset" && v == "13");
  CHECK(has_opset);
}

TEST_CASE("Constant attribute forms and integer initializers keep their dtypes") {
  OnnxModelBuilder b(13);
  b.input("x", {2, 3}).output("y");
  b.int_initializer("shape", {2}, {3, 2});
  OnnxModelBuilder::set_float(b.node("Constant", {}, {"cf"}), "value_float", 1.5f);
  OnnxModelBuilder::set_ints(b.node("Constant", {}, {"ci"}), "value_ints", {7, -8});
  b.node("Reshape", {"x", "shape"}, {"y"});
  const Graph g = import(b);
  CHECK(value(g, "shape").dtype == DType::kI64);
  CHECK(value(g, "shape").constant->int_at(1) == 2);
  CHECK(value(g, "cf").constant->shape.empty());
  CHECK(value(g, "cf").constant->float_at(0) == 1.5);
  CHECK(value(g, "ci").constant->dtype == DType::kI64);
  CHECK(value(g, "ci").constant->int_at(1) == -8);
}

TEST_CASE("a graph input that is also an initializer is a constant, not an input") {
  OnnxModelBuilder b = small_conv_model();
  b.input("w", {4, 2, 3, 3});  // old exporters list weights as inputs too
  const Graph g = import(b);
  CHECK(g.inputs.size() == 1);
  CHECK(value(g, "w").is_constant());
}

TEST_CASE("a dynamic batch dimension defaults to default_batch, with a note") {
  OnnxModelBuilder b(13);
  b.input("x", {-1, 3, 8, 8}).output("y");
  b.node("Relu", {"x"}, {"y"});
  bespoke::onnx_import::ImportReport report;
  const std::string bytes = b.bytes();
  CHECK(value(import_onnx_bytes(bytes.data(), bytes.size(), {}, "test.onnx", &report), "x").shape == Shape{1, 3, 8, 8});
  REQUIRE(report.notes.size() == 1);
  CHECK(report.notes[0] ==
        "graph input 'x' [dim0,3,8,8]: dynamic batch dimension set to 1 (--input-shape x=1,3,8,8 to choose)");

  // A static shape, a scalar included, needs nothing and gets no note.
  OnnxModelBuilder fixed(13);
  fixed.input("x", {2, 3}).input("s", {}).output("y");
  fixed.node("Mul", {"x", "s"}, {"y"});
  bespoke::onnx_import::ImportReport fixed_report;
  const std::string fixed_bytes = fixed.bytes();
  const Graph g = import_onnx_bytes(fixed_bytes.data(), fixed_bytes.size(), {}, "test.onnx", &fixed_report);
  CHECK(value(g, "s").shape == Shape{});
  CHECK(value(g, "x").shape == Shape{2, 3});
  CHECK(fixed_report.notes.empty());

  ImportOptions options;
  options.default_batch = 2;
  CHECK(value(import(b, options), "x").shape == Shape{2, 3, 8, 8});
  options.default_batch = 0;
  CHECK(import_error(bytes, options).find("default_batch must be positive") != std::string::npos);
}

TEST_CASE("any other dynamic dimension needs input_shapes: refused with the symbolic shape and an example") {
  OnnxModelBuilder b(13);
  b.input("x", {-1, 3, -1, -1}).output("y");
  b.node("Relu", {"x"}, {"y"});
  b.graph().mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(3)->clear_dim_param();
  const std::string error = import_error(b.bytes());
  CHECK(error ==
        "test.onnx: graph input 'x' has the dynamic shape [dim0,3,dim1,?]; choose the sizes it will run at with "
        "--input-shape, e.g. --input-shape x=1,3,224,224 (ImportOptions::input_shapes)");
  // A rank-1 input has no batch dimension: its one dynamic dimension is refused too.
  OnnxModelBuilder vector_model(13);
  vector_model.input("v", {-1}).output("w");
  vector_model.node("Relu", {"v"}, {"w"});
  CHECK(import_error(vector_model.bytes()).find("graph input 'v' has the dynamic shape [dim0]") != std::string::npos);

  ImportOptions options;
  options.input_shapes["x"] = {1, 3, 320, 320};
  CHECK(value(import(b, options), "x").shape == Shape{1, 3, 320, 320});
  options.input_shapes["x"] = {1, 4, 320, 320};
  CHECK(import_error(b.bytes(), options).find("conflicts with the model's [dim0,3,dim1,?]") != std::string::npos);
  options.input_shapes["x"] = {1, 3, 320};
  CHECK(import_error(b.bytes(), options).find("conflicts") != std::string::npos);
  options.input_shapes = {{"image", {1, 3, 8, 8}}};
  CHECK(import_error(b.bytes(), options).find("'image', which is not a graph input (inputs: x)") != std::string::npos);
}

TEST_CASE("an input without any shape needs input_shapes") {
  OnnxModelBuilder b(13);
  b.input("x", {}, onnx::TensorProto::FLOAT, /*has_shape=*/false).output("y");
  b.node("Relu", {"x"}, {"y"});
  ImportOptions options;
  options.run_checker = false;  // the checker itself insists on a shape field
  CHECK(import_error(b.bytes(), options).find("graph input 'x' has no shape") != std::string::npos);
  options.input_shapes["x"] = {2, 2};
  CHECK(value(import(b, options), "x").shape == Shape{2, 2});
}

TEST_CASE("models older than opset 9 are up-converted by ONNX's version converter") {
  const std::string path = kTestData + "/pytorch-converted/test_Conv2d/model.onnx";
  const Graph g = import_onnx(path);
  std::map<std::string, std::string> meta(g.metadata.begin(), g.metadata.end());
  CHECK(meta["onnx_source_opset"] == "6");
  CHECK(meta["onnx_opset"] == "9");
  CHECK(meta["source"] == path);
  CHECK(node_of_op(g, "Conv").inputs.size() >= 2);
}

TEST_CASE("the model's metadata_props are kept, prefixed, and bounded") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 4}).output("y");
  b.node("Relu", {"x"}, {"y"});
  auto* author = b.proto().add_metadata_props();
  author->set_key("author");
  author->set_value("factory line 3");
  auto* labels = b.proto().add_metadata_props();
  labels->set_key("labels");
  labels->set_value("ok,scratch,dent");
  const Graph g = import(b);
  std::map<std::string, std::string> meta(g.metadata.begin(), g.metadata.end());
  CHECK(meta["onnx_meta:author"] == "factory line 3");
  CHECK(meta["onnx_meta:labels"] == "ok,scratch,dent");
  CHECK(meta["onnx_opset"] == "13");  // our own keys are not shadowed

  auto* huge = b.proto().add_metadata_props();
  huge->set_key("blob");
  huge->set_value(std::string((size_t{1} << 20) + 1, 'x'));
  const std::string error = import_error(b.bytes());
  CHECK(error.find("metadata_props entry 'blob'") != std::string::npos);
  CHECK(error.find("exceeds the limits") != std::string::npos);
}

TEST_CASE("error: truncated files, garbage and empty input are 'not an ONNX model'") {
  const std::string model = read_file(kTestData + "/pytorch-converted/test_Conv2d/model.onnx");
  REQUIRE(model.size() > 100);
  for (size_t keep : {model.size() / 2, model.size() - 7, size_t{3}}) {
    CAPTURE(keep);
    CHECK(import_error(model.substr(0, keep)).find("truncated or not an ONNX model") != std::string::npos);
  }
  std::string garbage(4096, '\0');
  uint32_t state = 12345;
  for (char& c : garbage) {
    state = state * 1664525u + 1013904223u;
    c = static_cast<char>(state >> 24);
  }
  CHECK(import_error(garbage).find("truncated or not an ONNX model") != std::string::npos);
  CHECK(import_error("").find("empty file") != std::string::npos);
  CHECK(import_error("this is a text file, not a model\n").find("not an ONNX model") != std::string::npos);
}

TEST_CASE("error: missing file and directories") {
  try {
    import_onnx("/nonexistent/model.onnx");
    FAIL("expected an ImportError");
  } catch (const ImportError& e) {
    CHECK(std::string(e.what()) == "/nonexistent/model.onnx: no such file");
  }
  CHECK_THROWS_WITH_AS(import_onnx("/tmp"), "/tmp: not a regular file", ImportError);
}

TEST_CASE("error: two operators unknown to ONNX are both named with their nodes") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 4}).output("y");
  b.node("FancyNorm", {"x"}, {"a"}, "norm_layer");
  b.node("Relu", {"a"}, {"r"});
  b.node("MagicPool", {"r"}, {"y"}, "pool_layer");
  const std::string message = import_error(b.bytes());
  CHECK(message.find("FancyNorm (node 'norm_layer')") != std::string::npos);
  CHECK(message.find("MagicPool (node 'pool_layer')") != std::string::npos);
  CHECK(message.find("test.onnx: ") == 0);
}

TEST_CASE("error: opsets newer than 17, non-float inputs, external data, unsupported dtypes") {
  {
    OnnxModelBuilder b(18);
    b.input("x", {1}).output("y");
    b.node("Relu", {"x"}, {"y"});
    CHECK(import_error(b.bytes()).find("opset 18 is newer than supported (9 to 17)") != std::string::npos);
  }
  {
    OnnxModelBuilder b(13);
    b.input("ids", {1, 4}, onnx::TensorProto::INT64).output("y", onnx::TensorProto::INT64);
    b.node("Identity", {"ids"}, {"y"});
    CHECK(import_error(b.bytes()).find("graph input 'ids' has element type INT64; only FLOAT inputs are supported") !=
          std::string::npos);
  }
  {
    OnnxModelBuilder b = small_conv_model();
    auto* w = b.graph().mutable_initializer(0);
    w->clear_raw_data();
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto* entry = w->add_external_data();
    entry->set_key("location");
    entry->set_value("weights.bin");
    const std::string message = import_error(b.bytes());
    CHECK(message.find("external files, which is not supported: 'w' (in 'weights.bin')") != std::string::npos);
  }
  {
    OnnxModelBuilder b(13);
    b.input("x", {2}).output("y");
    onnx::TensorProto t;
    t.set_name("s");
    t.set_data_type(onnx::TensorProto::STRING);
    t.add_dims(1);
    t.add_string_data("hello");
    *b.graph().add_initializer() = t;
    b.node("Relu", {"x"}, {"y"});
    CHECK(import_error(b.bytes()).find("initializer 's' has data type STRING, which is not supported") !=
          std::string::npos);
  }
}

TEST_CASE("error: tensors whose stored data does not match their dims") {
  OnnxModelBuilder b = small_conv_model();
  b.graph().mutable_initializer(0)->mutable_raw_data()->resize(10);
  CHECK(import_error(b.bytes()).find("initializer 'w': raw_data holds 10 bytes, expected 288 for FLOAT[4,2,3,3]") !=
        std::string::npos);
}

TEST_CASE("error: a node reading an undefined value (checker off) is named") {
  OnnxModelBuilder b(13);
  b.input("x", {2}).output("y");
  b.node("Add", {"x", "ghost"}, {"y"}, "adder");
  ImportOptions options;
  options.run_checker = false;
  CHECK(import_error(b.bytes(), options)
            .find("node 'adder' (Add) reads 'ghost', which no node, graph input or initializer defines") !=
        std::string::npos);
  options.run_checker = true;
  CHECK(import_error(b.bytes(), options).find("ONNX checker rejected the model") != std::string::npos);
}

TEST_CASE("error: inconsistent shapes are reported with the node by load_onnx_for_inference") {
  const std::string dir = BESPOKE_BINARY_DIR "/tests/onnx/inconsistent";
  auto load_error = [&](const OnnxModelBuilder& b, const std::string& file) {
    const std::string path = b.save(dir, file);
    try {
      bespoke::onnx_import::load_onnx_for_inference(path);
    } catch (const ImportError& e) {
      const std::string message = e.what();
      CHECK(message.find(path + ": ") == 0);
      CHECK(message.find('\n') == std::string::npos);
      return message;
    }
    FAIL("expected an ImportError for " << file);
    return std::string();
  };
  {
    OnnxModelBuilder b(13);
    b.input("a", {1, 3}).input("b", {1, 4}).output("y");
    b.node("Add", {"a", "b"}, {"y"}, "adder");
    const std::string message = load_error(b, "add.onnx");
    CHECK(message.find("'adder'") != std::string::npos);
    CHECK(message.find("[1,3]") != std::string::npos);
    CHECK(message.find("[1,4]") != std::string::npos);
  }
  {
    OnnxModelBuilder b(13);
    b.input("x", {1, 3, 8, 8}).output("y");
    b.ramp_initializer("w", {8, 4, 3, 3});
    b.node("Conv", {"x", "w"}, {"y"}, "conv_bad");
    const std::string message = load_error(b, "conv.onnx");
    CHECK(message.find("'conv_bad'") != std::string::npos);
    CHECK(message.find("channels") != std::string::npos);
  }
  {
    OnnxModelBuilder b(13);
    b.input("x", {3, 4}).output("y");
    b.int_initializer("shape", {2}, {5, 5});
    b.node("Reshape", {"x", "shape"}, {"y"}, "reshape_bad");
    const std::string message = load_error(b, "reshape.onnx");
    CHECK(message.find("'reshape_bad'") != std::string::npos);
    CHECK(message.find("[3,4]") != std::string::npos);
  }
}
