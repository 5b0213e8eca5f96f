// GraphModule behaviour: batch sizes other than the graph's, intermediate
// values and span evaluation from a fed feature, error messages, the
// LibTorch-free facade, training (SGD with a BatchNormalization in train
// mode), writing the trained weights back (BatchNormalization folded) and
// checkpoints. The trained graph is checked on the runtime's reference backend.
#include <ATen/core/grad_mode.h>
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "ir/passes.h"
#include "support/graph_builder.h"
#include "torch_bridge/graph_module.h"
#include "torch_bridge/tensor_conversion.h"
#include "torch_bridge/torch_graph.h"
#include "torch_test_util.h"

namespace {

using bespoke::ir::Graph;
using bespoke::ir::Shape;
using bespoke::test::float_attr;
using bespoke::test::GraphBuilder;
using bespoke::test::int_attr;
using bespoke::test::ints_attr;
using bespoke::test::random_floats;
using bespoke::test::str_attr;
using bespoke::torchbridge::BridgeError;
using bespoke::torchbridge::GraphModule;
using namespace bespoke::test::libtorch;

int random_constant(GraphBuilder& b, const std::string& name, const Shape& shape, uint32_t seed, float offset = 0.0f) {
  std::vector<float> values = random_floats(static_cast<size_t>(bespoke::ir::shape_elements(shape)), seed);
  for (float& v : values) v += offset;
  return b.floats(name, shape, values);
}

bespoke::test::Attrs conv3x3(const char* activation = nullptr) {
  bespoke::test::Attrs a = {{"kernel_shape", ints_attr({3, 3})},
                            {"strides", ints_attr({1, 1})},
                            {"dilations", ints_attr({1, 1})},
                            {"pads", ints_attr({1, 1, 1, 1})},
                            {"group", int_attr(1)}};
  if (activation) a["activation"] = str_attr(activation);
  return a;
}

// x [batch,3,8,8] -> Conv(3->8) -> BatchNormalization -> Relu -> GlobalAveragePool -> Reshape -> FC(8->2).
struct SmallNet {
  Graph graph;
  int conv_out = -1, features = -1;
};

SmallNet small_net(int64_t batch) {
  GraphBuilder b;
  SmallNet net;
  const int x = b.input("x", {batch, 3, 8, 8});
  net.conv_out = b.op("Conv", {x, random_constant(b, "conv.w", {8, 3, 3, 3}, 1), random_constant(b, "conv.b", {8}, 2)},
                      conv3x3(), "conv");
  const int scale = random_constant(b, "bn.scale", {8}, 3, 1.0f), shift = random_constant(b, "bn.bias", {8}, 4);
  const int mean = random_constant(b, "bn.mean", {8}, 5), var = random_constant(b, "bn.var", {8}, 6, 1.5f);
  const int bn =
      b.op("BatchNormalization", {net.conv_out, scale, shift, mean, var}, {{"epsilon", float_attr(1e-5)}}, "bn");
  const int relu = b.op("Relu", {bn}, {}, "relu");
  net.features = b.op("GlobalAveragePool", {relu}, {}, "pool");
  const int flat = b.op("Reshape", {net.features}, {}, "flatten");
  b.g.values[static_cast<size_t>(flat)].shape = Shape{batch, 8};
  b.output(b.op("FullyConnected", {flat, random_constant(b, "fc.w", {2, 8}, 7), random_constant(b, "fc.b", {2}, 8)}, {},
                "fc"));
  net.graph = b.g;
  return net;
}

at::Tensor eval_forward(GraphModule& m, const at::Tensor& x) {
  const at::NoGradGuard no_grad;
  m.eval();
  return m.forward({x}).at(0);
}

std::string temp_path(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(::getpid()) + ".pt")).string();
}

}  // namespace

TEST_SUITE("torch.module") {
  TEST_CASE("a batch larger than the graph's gives each sample's single-batch result") {
    GraphModule module(small_net(1).graph);
    const at::Tensor x = random_tensor({3, 3, 8, 8}, 20);
    const at::Tensor batched = eval_forward(module, x);
    REQUIRE(batched.sizes() == at::IntArrayRef({3, 2}));
    for (int64_t i = 0; i < 3; ++i)
      check_close(batched.narrow(0, i, 1), eval_forward(module, x.narrow(0, i, 1)), "sample " + std::to_string(i),
                  {1e-5, 1e-6});
  }

  TEST_CASE("forward_values returns intermediate values; evaluate runs a span from a fed feature") {
    const SmallNet net = small_net(2);
    GraphModule module(net.graph);
    const at::NoGradGuard no_grad;
    const at::Tensor x = random_tensor({2, 3, 8, 8}, 21);
    const std::vector<at::Tensor> values = module.forward_values({x}, {net.features, net.graph.outputs[0]});
    REQUIRE(values.size() == 2);
    CHECK(values[0].sizes() == at::IntArrayRef({2, 8, 1, 1}));

    // The reference backend on the graph cut at the feature agrees with the value.
    Graph head = module.graph();
    head.outputs = {net.features};
    bespoke::ir::eliminate_dead_code(head);
    check_close(values[0], run_reference(head, {x}).at(0), "feature value");

    // Feeding the feature runs only the tail and reproduces the output.
    const at::Tensor tail = module.evaluate({{net.features, values[0]}}, {net.graph.outputs[0]}).at(0);
    check_close(tail, values[1], "span from feature", {0, 0});
    CHECK_THROWS_WITH_AS(module.evaluate({}, {net.graph.outputs[0]}), doctest::Contains("'x'"), BridgeError);
  }

  TEST_CASE("errors name the node or value at fault") {
    GraphBuilder b;
    const int x = b.input("x", {1, 4});
    b.output(b.op("Gemm", {x, random_constant(b, "w", {4, 4}, 1)}, {}, "legacy_gemm"));
    CHECK_THROWS_WITH_AS(GraphModule{b.g}, doctest::Contains("legacy_gemm"), BridgeError);

    GraphModule module(small_net(1).graph);
    CHECK_THROWS_WITH_AS(module.forward({random_tensor({1, 3, 9, 8}, 2)}), doctest::Contains("'x'"), BridgeError);
    CHECK_THROWS_AS(module.forward({}), BridgeError);
    CHECK_THROWS_AS(module.forward_values({random_tensor({1, 3, 8, 8}, 2)}, {12345}), BridgeError);
  }

  TEST_CASE("TorchGraph facade: IR tensors in and out, same numbers as the module") {
    const SmallNet net = small_net(2);
    bespoke::torchbridge::TorchGraph facade(net.graph);
    const at::Tensor x = random_tensor({2, 3, 8, 8}, 22);
    const std::vector<bespoke::ir::TensorData> out = facade.run({bespoke::torchbridge::to_tensor_data(x)});
    REQUIRE(out.size() == 1);
    GraphModule module(net.graph);
    check_close(bespoke::torchbridge::to_tensor(out[0]), eval_forward(module, x), "facade", {0, 0});
    CHECK(facade.parameter_count() == 8 * 3 * 9 + 8 + 8 + 8 + 2 * 8 + 2);
  }

  TEST_CASE("BatchNormalization in train mode normalizes with batch statistics and updates the running ones") {
    GraphBuilder b;
    const int x = b.input("x", {4, 3, 5, 5});
    const int scale = random_constant(b, "scale", {3}, 30, 1.0f), bias = random_constant(b, "bias", {3}, 31);
    const int mean = random_constant(b, "mean", {3}, 32), var = random_constant(b, "var", {3}, 33, 1.5f);
    b.output(b.op("BatchNormalization", {x, scale, bias, mean, var}, {{"epsilon", float_attr(1e-5)}}));
    GraphModule module(b.g, {/*batch_norm_momentum=*/0.25});
    module.train();
    const at::Tensor input = random_tensor({4, 3, 5, 5}, 34) * 2.0 + 0.5;
    const at::Tensor initial_mean = module.constant(mean).clone(), initial_var = module.constant(var).clone();
    at::Tensor y;
    {
      const at::NoGradGuard no_grad;
      y = module.forward({input}).at(0);
    }
    // Batch statistics per channel, computed independently.
    const at::Tensor batch_mean = input.mean({0, 2, 3});
    const at::Tensor biased_var = (input - batch_mean.reshape({1, 3, 1, 1})).pow(2).mean({0, 2, 3});
    const double n = 4 * 5 * 5;
    const at::Tensor expected = (input - batch_mean.reshape({1, 3, 1, 1})) /
                                    (biased_var.reshape({1, 3, 1, 1}) + 1e-5).sqrt() *
                                    module.constant(scale).detach().reshape({1, 3, 1, 1}) +
                                module.constant(bias).detach().reshape({1, 3, 1, 1});
    check_close(y, expected, "train-mode output", {1e-4, 1e-5});
    check_close(module.constant(mean), initial_mean * 0.75 + batch_mean * 0.25, "running mean", {1e-5, 1e-6});
    check_close(module.constant(var), initial_var * 0.75 + biased_var * (n / (n - 1)) * 0.25, "running var (unbiased)",
                {1e-5, 1e-6});
  }

  TEST_CASE(
      "SGD steps train the weights; to_graph (BatchNormalization folded) reproduces the module on the reference") {
    GraphModule::set_num_threads(2);
    const SmallNet net = small_net(4);
    GraphModule module(net.graph);
    const at::Tensor x = random_tensor({4, 3, 8, 8}, 40);
    const at::Tensor target = random_tensor({4, 2}, 41);
    std::vector<at::Tensor> initial;
    for (const at::Tensor& p : module.parameters()) initial.push_back(p.detach().clone());
    std::vector<at::Tensor> initial_stats;
    for (const auto& [name, t] : module.named_running_stats()) initial_stats.push_back(t.clone());
    REQUIRE(initial.size() == 6);  // conv w/b, bn scale/bias, fc w/b
    REQUIRE(initial_stats.size() == 2);

    module.train();
    std::vector<float> losses;
    for (int step = 0; step < 8; ++step) {
      const at::Tensor loss = (module.forward({x}).at(0) - target).pow(2).mean();
      losses.push_back(loss.item<float>());
      loss.backward();
      const at::NoGradGuard no_grad;
      for (at::Tensor& p : module.parameters()) {
        REQUIRE(p.grad().defined());
        p.sub_(p.grad() * 0.1);
        p.grad().zero_();
      }
    }
    MESSAGE("loss " << losses.front() << " -> " << losses.back());
    CHECK(losses.back() < losses.front());
    // Every weight moved, except the conv bias: a train-mode BatchNormalization
    // subtracts the batch mean right after it, so its gradient is zero.
    const auto trained = module.named_parameters();
    for (size_t i = 0; i < trained.size(); ++i) {
      const bool moved = !trained[i].second.detach().equal(initial[i]);
      if (trained[i].first == "conv.b")
        CHECK_MESSAGE(!moved, "conv.b moved although BatchNormalization cancels it");
      else
        CHECK_MESSAGE(moved, trained[i].first << " did not change");
    }
    const auto stats = module.named_running_stats();
    for (size_t i = 0; i < stats.size(); ++i)
      CHECK_MESSAGE(!stats[i].second.equal(initial_stats[i]), stats[i].first << " did not change");

    const at::Tensor expected = eval_forward(module, x);
    const Graph folded = module.to_graph();
    for (const auto& n : folded.nodes) CHECK_MESSAGE(n.op != "BatchNormalization", "BatchNormalization not folded");
    check_close(run_reference(folded, {x}).at(0), expected, "folded graph on the reference backend");
    bespoke::torchbridge::ToGraphOptions keep;
    keep.fold_batch_norm = false;
    const Graph unfolded = module.to_graph(keep);
    CHECK(unfolded.nodes.size() == net.graph.nodes.size());
    check_close(run_reference(unfolded, {x}).at(0), expected, "unfolded graph on the reference backend");
    // The trained graph builds a module again, with the same outputs.
    GraphModule rebuilt(folded);
    check_close(eval_forward(rebuilt, x), expected, "module of the trained graph");

    SUBCASE("checkpoints restore the trained state into a fresh module, and reject another graph") {
      const std::string path = temp_path("bespoke-torch-checkpoint");
      module.save(path);
      GraphModule fresh(net.graph);
      CHECK_FALSE(eval_forward(fresh, x).equal(expected));
      fresh.load(path);
      CHECK(eval_forward(fresh, x).equal(expected));

      GraphBuilder b;
      const int in = b.input("x", {1, 8});
      b.output(b.op("FullyConnected", {in, random_constant(b, "other.w", {2, 8}, 9)}));
      GraphModule other(b.g);
      CHECK_THROWS_WITH_AS(other.load(path), doctest::Contains("other.w"), BridgeError);
      std::filesystem::remove(path);
      CHECK_THROWS_AS(fresh.load(path), BridgeError);
    }
  }

}  // TEST_SUITE
