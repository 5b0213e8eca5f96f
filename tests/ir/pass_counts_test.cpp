// ir::PassCounts: what settle_shapes_and_constants and optimize_for_inference
// report, against the changes a reader can count in the graph.
#include <doctest/doctest.h>

#include "ir/passes.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

namespace {

int count_of(const PassCounts& counts, const std::string& pass) {
  for (const auto& [name, n] : counts.changes)
    if (name == pass) return n;
  FAIL("pass '" << pass << "' not listed");
  return -1;
}

}  // namespace

TEST_CASE("optimize_for_inference counts each pass's changes, then none on a second run") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 8, 8});
  const int id = b.op("Identity", {x}, {}, "id");
  const int conv = b.op("Conv", {id, b.floats("w", {4, 3, 1, 1}, random_floats(12, 1))}, {}, "conv");
  const int bn = b.op("BatchNormalization",
                      {conv, b.floats("g", {4}, {1, 2, 3, 4}), b.floats("be", {4}, {0, 0, 1, 1}),
                       b.floats("m", {4}, {0, 1, 0, 1}), b.floats("v", {4}, {1, 1, 2, 2})},
                      {}, "bn");
  b.output(b.op("Relu", {bn}, {}, "relu"));
  b.op("Tanh", {x}, {}, "unused");

  const PassCounts first = optimize_for_inference(b.g);
  CHECK(b.g.nodes.size() == 1);  // Conv with the BatchNormalization folded in and a fused Relu
  CHECK(count_of(first, "remove_identity") == 1);
  CHECK(count_of(first, "fold_batch_norm") == 1);
  CHECK(count_of(first, "fuse_activation") == 1);
  CHECK(count_of(first, "fuse_silu") == 0);
  CHECK(count_of(first, "eliminate_dead_code") > 0);        // Tanh, then the values nobody reads
  CHECK(first.rounds >= 2);                                 // the last round is the one that changed nothing
  CHECK(first.changes.front().first == "remove_identity");  // listed in pipeline order
  CHECK(first.changes.size() == 10);

  const PassCounts second = optimize_for_inference(b.g);
  CHECK(second.rounds == 1);
  CHECK(second.total() == 0);
  CHECK(second.to_string().find("remove_identity 0, infer_shapes 0") == 0);
  CHECK(second.to_string().find("(1 round)") != std::string::npos);
}

TEST_CASE("settle_shapes_and_constants folds a Shape chain and infers the shapes behind it") {
  GraphBuilder b;
  const int x = b.input("x", {2, 3, 4});
  const int shape = b.op("Shape", {x});
  const int reshaped = b.op("Reshape", {x, shape});
  b.output(b.op("Relu", {reshaped}));

  const PassCounts counts = settle_shapes_and_constants(b.g);
  CHECK(count_of(counts, "fold_constants") == 1);  // Shape -> constant [2,3,4]
  CHECK(count_of(counts, "infer_shapes") > 0);
  CHECK(counts.rounds >= 2);
  for (const Value& v : b.g.values) CHECK_MESSAGE(v.shape.has_value(), v.name);
  CHECK(settle_shapes_and_constants(b.g).total() == 0);
}
