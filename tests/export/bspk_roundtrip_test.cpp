// write_bspk / read_bspk: exact round trip of canonical graphs, file layout
// (alignment, sentinel buffer, external data, versions) and default blocks.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>

#include "export/bspk_op_table.h"
#include "export/bspk_reader.h"
#include "export/bspk_writer.h"
#include "export/canonical_attrs.h"
#include "graph_diff.h"
#include "graph_fixtures.h"
#include "ir/op_set.h"
#include "schema/bespoke_generated.h"

using namespace bespoke;
using bespoke::exporter::BspkWriteOptions;

namespace {

const fb::Model& model_of(const std::vector<uint8_t>& file) {
  flatbuffers::Verifier verifier(file.data(), file.size());
  REQUIRE(fb::VerifyModelBuffer(verifier));
  return *fb::GetModel(file.data());
}

ir::Graph round_trip(const ir::Graph& g, const BspkWriteOptions& options = {}) {
  std::vector<uint8_t> file = exporter::write_bspk(g, options);
  return exporter::read_bspk(file.data(), file.size());
}

}  // namespace

TEST_CASE("the op table maps every canonical op to exactly one opcode and back") {
  std::set<fb::OpCode> seen;
  for (fb::OpCode code : fb::EnumValuesOpCode()) {
    const exporter::BspkOpInfo* info = exporter::find_op(code);
    REQUIRE_MESSAGE(info != nullptr, fb::EnumNameOpCode(code));
    CHECK(ir::is_canonical_op(info->name));
    CHECK(exporter::find_op(info->name) == info);
    seen.insert(code);
  }
  CHECK(seen.size() == sizeof(fb::EnumValuesOpCode()) / sizeof(fb::OpCode));
  CHECK(exporter::find_op(static_cast<fb::OpCode>(999)) == nullptr);
  CHECK(exporter::find_op("Gemm") == nullptr);
}

TEST_CASE("every canonical op and options table round-trips exactly, with blocks of every provenance kind") {
  ir::Graph g = test::every_op_graph();
  test::add_blocks_of_every_kind(g);
  // The fixture really covers every opcode.
  std::set<std::string> ops;
  for (const auto& n : g.nodes) ops.insert(n.op);
  CHECK(ops.size() == sizeof(fb::EnumValuesOpCode()) / sizeof(fb::OpCode));

  for (bool external : {false, true}) {
    CAPTURE(external);
    BspkWriteOptions options;
    options.external_data = external;
    ir::Graph back = round_trip(g, options);
    CHECK(test::first_difference(g, back) == "");
  }
}

TEST_CASE("the file records versions, producer, names and the sentinel buffer") {
  ir::Graph g = test::small_graph();
  g.metadata = {{"teacher", "resnet18"}, {"device", "cortex-a53"}};
  BspkWriteOptions options;
  options.producer_name = "bespoke-test";
  options.producer_version = "9.8.7";
  std::vector<uint8_t> file = exporter::write_bspk(g, options);
  const fb::Model& m = model_of(file);
  CHECK(fb::ModelBufferHasIdentifier(file.data()));
  CHECK(m.format_version() == 1);
  CHECK(m.min_runtime_version() == 100);  // only runtime 0.1.0 opcodes
  CHECK(m.producer_name()->str() == "bespoke-test");
  CHECK(m.producer_version()->str() == "9.8.7");
  CHECK(m.name()->str() == "small");
  REQUIRE(m.metadata()->size() == 2);
  CHECK(m.metadata()->Get(1)->key()->str() == "device");
  // Tensors in value order; buffer 0 empty; constants only reference non-zero buffers.
  REQUIRE(m.tensors()->size() == g.values.size());
  const fb::Buffer* sentinel = m.buffers()->Get(0);
  CHECK(sentinel->data() == nullptr);
  CHECK(sentinel->size() == 0);
  for (size_t v = 0; v < g.values.size(); ++v) {
    const fb::Tensor* t = m.tensors()->Get(static_cast<uint32_t>(v));
    CHECK(t->name()->str() == g.values[v].name);
    CHECK((t->buffer() != 0) == g.values[v].is_constant());
  }
  CHECK(m.operators()->Get(0)->opcode() == fb::OpCode::CONV_2D);
  const auto* conv = m.operators()->Get(0)->options_as_Conv2DOptions();
  REQUIRE(conv != nullptr);
  CHECK(conv->kernel_h() == 3);
  CHECK(conv->pad_left() == 1);
  REQUIRE(conv->activation() != nullptr);
  CHECK(conv->activation()->type() == fb::ActivationType::RELU);
}

TEST_CASE("min_runtime_version is the newest 'introduced in' version over the opcodes used") {
  // Every opcode has its version; 0.1.0 for the original ones, 0.2.0 for SQRT and BATCH_MATMUL.
  for (fb::OpCode code : fb::EnumValuesOpCode()) {
    CAPTURE(fb::EnumNameOpCode(code));
    const bool v2 = code == fb::OpCode::SQRT || code == fb::OpCode::BATCH_MATMUL;
    CHECK(exporter::find_op(code)->since_runtime_version ==
          (v2 ? exporter::kRuntimeVersionV2 : exporter::kRuntimeVersionV1));
  }
  CHECK(model_of(exporter::write_bspk(test::small_graph())).min_runtime_version() == 100);
  CHECK(model_of(exporter::write_bspk(test::every_op_graph())).min_runtime_version() == 200);

  // One SQRT is enough; BATCH_MATMUL alone too.
  test::GraphMaker sqrt_only;
  const int x = sqrt_only.input("x", {2, 3});
  sqrt_only.output(sqrt_only.node("Sqrt", "root", {x}, {2, 3}));
  CHECK(model_of(exporter::write_bspk(sqrt_only.g)).min_runtime_version() == 200);
  test::GraphMaker matmul_only;
  const int a = matmul_only.input("a", {2, 1, 4, 3});
  const int b = matmul_only.input("b", {3, 3, 5});
  matmul_only.output(matmul_only.node("MatMul", "product", {a, b}, {2, 3, 4, 5}));
  std::vector<uint8_t> file = exporter::write_bspk(matmul_only.g);
  CHECK(model_of(file).min_runtime_version() == 200);
  CHECK(model_of(file).operators()->Get(0)->opcode() == fb::OpCode::BATCH_MATMUL);
  CHECK(model_of(file).operators()->Get(0)->options_type() == fb::OperatorOptions::NONE);
  CHECK(test::first_difference(matmul_only.g, round_trip(matmul_only.g)) == "");
}

TEST_CASE("inline constant data starts at 64-byte aligned file offsets") {
  ir::Graph g = test::every_op_graph();
  std::vector<uint8_t> file = exporter::write_bspk(g);
  const fb::Model& m = model_of(file);
  REQUIRE(m.buffers()->size() > 10);
  for (uint32_t i = 1; i < m.buffers()->size(); ++i) {
    const auto* data = m.buffers()->Get(i)->data();
    REQUIRE(data != nullptr);
    auto offset = static_cast<size_t>(data->data() - file.data());
    CAPTURE(i);
    CHECK(offset % 64 == 0);
  }
}

TEST_CASE("external data lies after the flatbuffer at 64-aligned offsets, with Buffer.data absent") {
  ir::Graph g = test::every_op_graph();
  BspkWriteOptions options;
  options.external_data = true;
  std::vector<uint8_t> file = exporter::write_bspk(g, options);
  const fb::Model& m = model_of(file);
  // Each constant value's bytes are found at its buffer's offset.
  uint64_t previous_end = 0;
  for (size_t v = 0; v < g.values.size(); ++v) {
    if (!g.values[v].is_constant()) continue;
    const fb::Buffer* b = m.buffers()->Get(m.tensors()->Get(static_cast<uint32_t>(v))->buffer());
    CAPTURE(g.values[v].name);
    CHECK(b->data() == nullptr);
    CHECK(b->offset() % 64 == 0);
    CHECK(b->offset() >= previous_end);
    const auto& bytes = g.values[v].constant->bytes;
    REQUIRE(b->size() == bytes.size());
    REQUIRE(b->offset() + b->size() <= file.size());
    CHECK(std::memcmp(file.data() + b->offset(), bytes.data(), bytes.size()) == 0);
    previous_end = b->offset() + b->size();
  }
  CHECK(previous_end == file.size());
}

TEST_CASE("constants sharing one ConstantPtr share one buffer and stay shared after reading") {
  test::GraphMaker m;
  int x = m.input("x", {2, 4});
  int w = m.weight("w", {4, 4});
  ir::Value alias = m.g.values[static_cast<size_t>(w)];
  alias.name = "w_again";
  int w2 = m.g.add_value(alias);
  int h = m.node("FullyConnected", "h", {x, w, -1}, {2, 4});
  int y = m.node("FullyConnected", "y", {h, w2, -1}, {2, 4});
  m.output(y);
  std::vector<uint8_t> file = exporter::write_bspk(m.g);
  const fb::Model& model = model_of(file);
  CHECK(model.buffers()->size() == 2);
  CHECK(model.tensors()->Get(static_cast<uint32_t>(w))->buffer() ==
        model.tensors()->Get(static_cast<uint32_t>(w2))->buffer());
  ir::Graph back = exporter::read_bspk(file.data(), file.size());
  CHECK(test::first_difference(m.g, back) == "");
  CHECK(back.values[static_cast<size_t>(w)].constant.get() == back.values[static_cast<size_t>(w2)].constant.get());
}

TEST_CASE("every element type, scalars and unused values round-trip") {
  test::GraphMaker m;
  m.g.name = "dtypes";
  int x = m.input("x", {3});
  int y = m.node("Relu", "y", {x}, {3});
  m.output(y);
  m.g.add_constant("i64", ir::TensorData::from_ints({2}, {-5, int64_t{1} << 40}));
  ir::TensorData i32;
  i32.dtype = ir::DType::kI32;
  i32.shape = {};
  i32.bytes = {1, 2, 3, 4};
  m.g.add_constant("i32_scalar", i32);
  ir::TensorData i8 = i32;
  i8.dtype = ir::DType::kI8;
  i8.shape = {4};
  m.g.add_constant("i8", i8);
  i8.dtype = ir::DType::kU8;
  m.g.add_constant("u8", i8);
  ir::Value intermediate;
  intermediate.name = "unused";
  intermediate.shape = ir::Shape{7, 1};
  m.g.add_value(intermediate);
  CHECK(test::first_difference(m.g, round_trip(m.g)) == "");
}

TEST_CASE("a graph without blocks gets one 'model' block in the file that reading drops again") {
  ir::Graph g = test::small_graph();
  REQUIRE(g.blocks.empty());
  std::vector<uint8_t> file = exporter::write_bspk(g);
  const fb::Model& m = model_of(file);
  REQUIRE(m.blocks()->size() == 1);
  const fb::Block* b = m.blocks()->Get(0);
  CHECK(b->name()->str() == "model");
  CHECK(b->first_operator() == 0);
  CHECK(b->operator_count() == g.nodes.size());
  CHECK(b->input_tensor() == g.inputs[0]);
  CHECK(b->output_tensor() == g.outputs[0]);
  CHECK(b->provenance()->kind() == fb::ProvenanceKind::OTHER);
  ir::Graph back = exporter::read_bspk(file.data(), file.size());
  CHECK(back.blocks.empty());
  CHECK(test::first_difference(g, back) == "");

  SUBCASE("a user block that looks the same but lacks the marker is kept") {
    ir::Graph with_block = g;
    ir::Block user;
    user.name = "model";
    user.node_count = static_cast<int>(g.nodes.size());
    user.input_value = g.inputs[0];
    user.output_value = g.outputs[0];
    user.provenance.kind = ir::ProvenanceKind::kOther;
    with_block.blocks.push_back(user);
    ir::Graph back2 = round_trip(with_block);
    CHECK(back2.blocks.size() == 1);
    CHECK(test::first_difference(with_block, back2) == "");
  }
  SUBCASE("no block is synthesized for two graph outputs") {
    ir::Graph two = g;
    two.outputs.push_back(two.nodes[0].outputs[0]);
    std::vector<uint8_t> file2 = exporter::write_bspk(two);
    CHECK(model_of(file2).blocks()->size() == 0);
    CHECK(test::first_difference(two, exporter::read_bspk(file2.data(), file2.size())) == "");
  }
}

TEST_CASE("save_bspk / load_bspk go through a file") {
  ir::Graph g = test::every_op_graph();
  std::string path = std::string(BESPOKE_BINARY_DIR) + "/export_roundtrip_test.bspk";
  BspkWriteOptions options;
  options.external_data = true;
  exporter::save_bspk(g, path, options);
  ir::Graph back = exporter::load_bspk(path);
  std::remove(path.c_str());
  CHECK(test::first_difference(g, back) == "");
  CHECK_THROWS_WITH_AS(exporter::load_bspk(path), doctest::Contains("cannot open"), exporter::ExportError);
}

TEST_CASE("fused Relu: the canonical form has no bounds; explicit bounds other than [0, inf) are kept") {
  ir::Graph g = test::small_graph();
  ir::Node& conv = g.nodes[0];
  REQUIRE(conv.get_string("activation", "") == "Relu");
  REQUIRE(!conv.has("act_min"));
  CHECK(test::first_difference(g, round_trip(g)) == "");

  conv.attrs["act_min"] = 0.0;
  conv.attrs["act_max"] = 4.0;
  CHECK(test::first_difference(g, round_trip(g)) == "");

  // Explicit [0, +inf) is the same activation and reads back in canonical form.
  conv.attrs["act_max"] = static_cast<double>(std::numeric_limits<float>::infinity());
  ir::Graph back = round_trip(g);
  CHECK(back.nodes[0].get_string("activation", "") == "Relu");
  CHECK(!back.nodes[0].has("act_min"));
  CHECK(!back.nodes[0].has("act_max"));
}

TEST_CASE("Resize string attributes map to the schema enums by name, every value round-trips") {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (size_t i = 0; i < exporter::kResizeModes.size(); ++i)
    CHECK(lower(fb::EnumNameResizeMode(static_cast<fb::ResizeMode>(i))) == exporter::kResizeModes[i]);
  for (size_t i = 0; i < exporter::kCoordinateTransforms.size(); ++i)
    CHECK(lower(fb::EnumNameCoordinateTransform(static_cast<fb::CoordinateTransform>(i))) ==
          exporter::kCoordinateTransforms[i]);
  for (size_t i = 0; i < exporter::kNearestModes.size(); ++i)
    CHECK(lower(fb::EnumNameNearestRounding(static_cast<fb::NearestRounding>(i))) == exporter::kNearestModes[i]);

  for (const auto& mode : exporter::kResizeModes)
    for (const auto& transform : exporter::kCoordinateTransforms)
      for (const auto& rounding : exporter::kNearestModes) {
        test::GraphMaker m;
        int x = m.input("x", {1, 2, 3, 3});
        m.output(m.node("Resize", "y", {x}, {1, 2, 6, 9},
                        {{"mode", ir::Attribute(mode)},
                         {"coordinate_transformation_mode", ir::Attribute(transform)},
                         {"nearest_mode", ir::Attribute(rounding)},
                         {"scales", test::Fs({2.0f, 3.0f})}}));
        CAPTURE(mode + "/" + transform + "/" + rounding);
        CHECK(test::first_difference(m.g, round_trip(m.g)) == "");
      }
}
