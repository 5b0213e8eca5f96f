// Built-in architectures: valid canonical graphs, the trainable parameter
// counts of the equivalent PyTorch models (torch.nn, counted in Python),
// seeded Kaiming initialization, name parsing.
#include <doctest/doctest.h>

#include <cmath>

#include "arch/architecture.h"
#include "ir/cost.h"
#include "ir/passes.h"
#include "torch_bridge/torch_graph.h"

using namespace bespoke;

namespace {

const ir::TensorData& constant_named(const ir::Graph& g, const std::string& name) {
  const int id = g.find_value(name);
  REQUIRE(id >= 0);
  const bool is_constant = g.values[static_cast<size_t>(id)].is_constant();
  REQUIRE(is_constant);
  return *g.values[static_cast<size_t>(id)].constant;
}

}  // namespace

TEST_SUITE("train") {
  TEST_CASE("architectures: resnet8 / resnet14 are canonical with PyTorch's parameter counts") {
    const ir::Graph r8 = arch::make_architecture("resnet8");
    CHECK(ir::validate(r8, true).empty());
    CHECK(r8.shape_of(r8.outputs[0]) == ir::Shape{1, 10});
    CHECK(r8.shape_of(r8.find_value("stage1.block0.relu2")) == ir::Shape{1, 32, 14, 14});
    CHECK(r8.shape_of(r8.find_value("stage3.block0.relu2")) == ir::Shape{1, 128, 4, 4});
    // nn.Sequential equivalents counted with sum(p.numel() for p in m.parameters()).
    CHECK(torchbridge::TorchGraph(r8).parameter_count() == 308074);
    CHECK(torchbridge::TorchGraph(arch::make_architecture("resnet14")).parameter_count() == 696042);
    CHECK(torchbridge::TorchGraph(arch::make_architecture("resnet8-w16")).parameter_count() == 77754);
    const ir::GraphSummary s = ir::summarize(r8);
    CHECK(s.macs > 9'000'000);  // stride-2 stem: stages at 14x14, 7x7, 4x4
    CHECK(s.macs < 12'000'000);
    arch::ArchitectureOptions rgb;
    rgb.input_shape = {1, 3, 32, 32};
    rgb.num_classes = 5;
    const ir::Graph r20 = arch::make_architecture("resnet20-w8-s1", rgb);
    CHECK(r20.shape_of(r20.outputs[0]) == ir::Shape{1, 5});
    CHECK(r20.shape_of(r20.find_value("stage1.block2.relu2")) == ir::Shape{1, 8, 32, 32});
  }

  TEST_CASE("architectures: seeded Kaiming initialization, zero-initialized residual branches") {
    arch::ArchitectureOptions a, b;
    a.seed = 1;
    b.seed = 2;
    const ir::Graph g1 = arch::make_architecture("resnet8", a), g1_again = arch::make_architecture("resnet8", a);
    const ir::Graph g2 = arch::make_architecture("resnet8", b);
    const ir::TensorData& w = constant_named(g1, "stage2.block0.conv2.weight");
    CHECK(w.bytes == constant_named(g1_again, "stage2.block0.conv2.weight").bytes);
    CHECK(w.bytes != constant_named(g2, "stage2.block0.conv2.weight").bytes);
    double sum = 0, sum_sq = 0;
    for (int64_t i = 0; i < w.elements(); ++i)
      sum += w.as<float>()[i], sum_sq += double(w.as<float>()[i]) * w.as<float>()[i];
    const double n = static_cast<double>(w.elements());
    CHECK(std::abs(sum / n) < 0.01);
    CHECK(std::sqrt(sum_sq / n) == doctest::Approx(std::sqrt(2.0 / (64 * 9))).epsilon(0.05));  // fan-out, ReLU gain
    const ir::TensorData& zero = constant_named(g1, "stage1.block0.bn2.scale");
    for (int64_t i = 0; i < zero.elements(); ++i) CHECK(zero.as<float>()[i] == 0.0f);
  }

  TEST_CASE("architectures: bad names and options are refused with the known names") {
    CHECK_THROWS_WITH_AS(arch::make_architecture("resnet9"), doctest::Contains("6n + 2"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(arch::make_architecture("vgg"), doctest::Contains("resnet<D>"), std::invalid_argument);
    CHECK_THROWS_AS(arch::make_architecture("resnet8-w0"), std::invalid_argument);
    CHECK_THROWS_AS(arch::make_architecture("resnet8-x"), std::invalid_argument);
    arch::ArchitectureOptions flat;
    flat.input_shape = {1, 784};
    CHECK_THROWS_AS(arch::make_architecture("resnet8", flat), std::invalid_argument);
  }

}  // TEST_SUITE
