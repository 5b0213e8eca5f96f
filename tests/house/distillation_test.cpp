// Block-level distillation, the feature cache and the least-squares start of
// output adapters, on the real demo teacher's features over real
// Fashion-MNIST images.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "config/optimizer_config.h"
#include "house/channel_pruning.h"
#include "house/distillation.h"
#include "house/feature_cache.h"
#include "house/output_projection.h"
#include "house/teacher_data.h"
#include "house/teacher_features.h"
#include "onnx_import/onnx_importer.h"
#include "support/graph_builder.h"
#include "torch_bridge/graph_module.h"

namespace bespoke::house {

namespace {

namespace fs = std::filesystem;

std::string temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("bespoke-house-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

// The teacher's features at cuts 1 and 2 (stage 1, first residual block) over
// 256 training and 128 validation images.
struct Features {
  ir::Graph teacher;
  blocks::BlockAnalysis analysis;
  std::unique_ptr<FeatureCache> cache;
  FeaturePair train, val;
};

const Features& features() {
  static const Features f = [] {
    Features x;
    x.teacher = onnx_import::load_onnx_for_inference(BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx");
    x.analysis = blocks::assign_unit_blocks(x.teacher);
    config::OptimizerConfig c;
    c.teacher.model = BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx";
    const TeacherData data = open_teacher_data(c, x.teacher);
    data::BatchLoader train = make_loader(data, data::Split::kTrain, 256, 64);
    data::BatchLoader val = make_loader(data, data::Split::kValidation, 128, 64);
    x.cache = std::make_unique<FeatureCache>(int64_t{1} << 30, temp_dir("features"));
    torchbridge::GraphModule::set_num_threads(1);
    torchbridge::GraphModule module(x.teacher);
    compute_teacher_features(module, x.analysis, {1, 2}, train, *x.cache, "train", {});
    compute_teacher_features(module, x.analysis, {1, 2}, val, *x.cache, "val", {});
    x.train = {x.cache->get(feature_name("train", 1)), x.cache->get(feature_name("train", 2))};
    x.val = {x.cache->get(feature_name("val", 1)), x.cache->get(feature_name("val", 2))};
    return x;
  }();
  return f;
}

bool same_bits(const ir::Graph& a, const ir::Graph& b) {
  if (a.values.size() != b.values.size()) return false;
  for (size_t v = 0; v < a.values.size(); ++v) {
    const auto& ca = a.values[v].constant;
    const auto& cb = b.values[v].constant;
    if ((ca == nullptr) != (cb == nullptr)) return false;
    if (ca && ca->bytes != cb->bytes) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("teacher features equal the teacher's own intermediate values") {
  const Features& f = features();
  CHECK((f.train.input.sizes() == std::vector<int64_t>{256, 32, 14, 14}));
  CHECK((f.val.target.sizes() == std::vector<int64_t>{128, 32, 14, 14}));
  // The block [1, 2] applied to the feature at cut 1 gives the feature at cut 2.
  torchbridge::GraphModule block(blocks::extract_span(f.teacher, 1, 2));
  at::NoGradGuard no_grad;
  const at::Tensor y = block.forward({f.val.input.narrow(0, 0, 16)}).at(0);
  CHECK(at::allclose(y, f.val.target.narrow(0, 0, 16), 1e-4, 1e-5));
  CHECK(f.train.input.abs().sum().item<double>() > 0.0);
}

TEST_CASE("distillation lowers the error of a pruned block, reproducibly, and reports divergence without throwing") {
  const Features& f = features();
  torchbridge::GraphModule::set_num_threads(1);
  std::string why;
  const ir::Graph pruned = *prune_channels(blocks::extract_span(f.teacher, 1, 2), 0.75, &why);
  DistillSettings s;
  s.steps = 60;
  s.batch_size = 32;
  s.lr = 2e-3;
  s.seed = 11;
  const DistillOutcome a = distill_alternative(pruned, f.train, f.val, s);
  REQUIRE(a.ok);
  CHECK(a.steps == 60);
  CHECK(a.loss_after < 0.7 * a.loss_before);
  const double variance = (f.val.target - f.val.target.mean()).pow(2).mean().item<double>();
  CHECK(a.rel_mse == doctest::Approx(a.loss_after / variance).epsilon(1e-6));
  const DistillOutcome b = distill_alternative(pruned, f.train, f.val, s);
  CHECK(b.loss_after == a.loss_after);
  CHECK(same_bits(a.trained, b.trained));
  s.seed = 12;
  CHECK(distill_alternative(pruned, f.train, f.val, s).loss_after != a.loss_after);

  s.lr = 1e12;  // Adam steps of 1e12: the loss overflows
  const DistillOutcome diverged = distill_alternative(pruned, f.train, f.val, s);
  CHECK_FALSE(diverged.ok);
  CHECK(diverged.reason.find("diverged") != std::string::npos);
}

TEST_CASE("the identity is evaluated, not trained") {
  const Features& f = features();
  ir::Graph identity;
  ir::Value v;
  v.name = "x";
  v.shape = f.teacher.shape_of(f.analysis.cuts[1]);
  identity.inputs = identity.outputs = {identity.add_value(v)};
  const DistillOutcome o = distill_alternative(identity, f.train, f.val, {});
  REQUIRE(o.ok);
  CHECK(o.steps == 0);
  const double mse = (f.val.input - f.val.target).pow(2).mean().item<double>();
  CHECK(o.loss_after == doctest::Approx(mse).epsilon(1e-6));
}

TEST_CASE("an output adapter starts from the least-squares fit") {
  using namespace bespoke::test;
  GraphBuilder gb;
  const int x = gb.input("x", {1, 6, 5, 5});
  gb.output(gb.op("Conv",
                  {x, gb.floats("w", {4, 6, 1, 1}, std::vector<float>(24, 0.0f)), gb.floats("b", {4}, {0, 0, 0, 0})},
                  {{"kernel_shape", ints_attr({1, 1})},
                   {"strides", ints_attr({1, 1})},
                   {"dilations", ints_attr({1, 1})},
                   {"pads", ints_attr({0, 0, 0, 0})},
                   {"group", int_attr(1)}},
                  "span/adapter_out"));
  at::manual_seed(3);
  const at::Tensor in = at::randn({64, 6, 5, 5});
  const at::Tensor true_w = at::randn({4, 6});
  const at::Tensor true_b = at::randn({4});
  const at::Tensor target = at::einsum("oc,nchw->nohw", {true_w, in}) + true_b.view({1, 4, 1, 1});
  torchbridge::GraphModule m(gb.g);
  REQUIRE(fit_output_projection(m, in, target));
  const ir::Node& n = m.graph().nodes[0];
  CHECK(at::allclose(m.constant(n.input(1)).view({4, 6}), true_w, 1e-3, 1e-3));
  CHECK(at::allclose(m.constant(n.input(2)), true_b, 1e-3, 1e-3));

  // Not an adapter (another name): left alone.
  gb.g.nodes[0].name = "conv";
  torchbridge::GraphModule other(gb.g);
  CHECK_FALSE(fit_output_projection(other, in, target));
  CHECK(other.constant(other.graph().nodes[0].input(1)).abs().sum().item<double>() == 0.0);
}

TEST_CASE("an input adapter starts as whitened PCA of the teacher's feature") {
  using namespace bespoke::test;
  GraphBuilder gb;
  const int x = gb.input("x", {1, 5, 4, 4});
  gb.output(gb.op("Conv",
                  {x, gb.floats("w", {3, 5, 1, 1}, std::vector<float>(15, 0.0f)), gb.floats("b", {3}, {0, 0, 0})},
                  {{"kernel_shape", ints_attr({1, 1})},
                   {"strides", ints_attr({1, 1})},
                   {"dilations", ints_attr({1, 1})},
                   {"pads", ints_attr({0, 0, 0, 0})},
                   {"group", int_attr(1)}},
                  "span/adapter_in"));
  // Correlated channels with different scales and means.
  at::manual_seed(5);
  const at::Tensor mix = at::randn({5, 5});
  const at::Tensor in = (at::einsum("dc,nchw->ndhw", {mix, at::randn({200, 5, 4, 4})}) + 3.0).contiguous();
  torchbridge::GraphModule m(gb.g);
  REQUIRE(fit_input_projection(m, in, 200));
  at::NoGradGuard no_grad;
  const at::Tensor out = m.forward({in}).at(0).permute({0, 2, 3, 1}).reshape({-1, 3}).to(at::kDouble);
  const at::Tensor centred = out - out.mean(0);
  const at::Tensor cov = centred.t().mm(centred) / static_cast<double>(out.size(0) - 1);
  CHECK(at::allclose(out.mean(0), at::zeros({3}, at::kDouble), 1e-4, 1e-4));
  CHECK(at::allclose(cov, at::eye(3, at::kDouble), 1e-3, 1e-3));  // unit variance, decorrelated
  gb.g.nodes[0].name = "conv";
  torchbridge::GraphModule other(gb.g);
  CHECK_FALSE(fit_input_projection(other, in));
}

TEST_CASE("the feature cache spills beyond its bound to mapped files it removes") {
  const std::string dir = temp_dir("spill");
  {
    FeatureCache cache(1000, dir);  // room for 250 floats
    at::Tensor small = cache.allocate("a/cut1", {10, 10});
    at::Tensor big = cache.allocate("a/cut2", {100, 10});
    CHECK(cache.memory_bytes() == 400);
    CHECK(cache.spilled_bytes() == 4000);
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 1);
    big.copy_(at::arange(1000, at::kFloat).view({100, 10}));
    small.fill_(2.0f);
    CHECK(cache.get("a/cut2").sum().item<double>() == doctest::Approx(499500.0));
    CHECK(cache.get("a/cut1").sum().item<double>() == doctest::Approx(200.0));
    CHECK_THROWS_AS(cache.get("nope"), std::out_of_range);
    CHECK_THROWS_AS(cache.allocate("a/cut1", {1}), std::logic_error);
  }
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 0);
  // An unwritable spill folder is an error naming the file.
  FeatureCache broken(0, "/proc/bespoke-no-such-dir");
  CHECK_THROWS_WITH_AS(broken.allocate("x", {4}), doctest::Contains("bespoke-no-such-dir"), std::exception);
  fs::remove_all(dir);
}

}  // namespace bespoke::house
