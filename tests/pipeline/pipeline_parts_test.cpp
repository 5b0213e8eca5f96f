// The parts of the pipeline, each alone, on the real demo teacher and real
// Fashion-MNIST images: knowledge-distillation fine-tuning, device
// acceptance through the local link, the report's JSON round trip and the
// PNG plot (decoded back with stb_image), the baselines.
// LibTorch before doctest: its glog CHECK must not replace doctest's.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <stb/stb_image.h>
#include <nlohmann/json.hpp>

#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "export/bspk_writer.h"
#include "house/student.h"
#include "house/teacher_data.h"
#include "ir/cost.h"
#include "latency/device_link.h"
#include "latency/sha256.h"
#include "onnx_import/onnx_importer.h"
#include "pipeline/baselines.h"
#include "pipeline/device_acceptance.h"
#include "pipeline/finetune.h"
#include "pipeline/pipeline_report.h"
#include "pipeline/scatter_plot.h"
#include "task/task_head.h"
#include "torch_bridge/graph_module.h"

namespace bespoke::pipeline {

namespace {

const ir::Graph& teacher() {
  static const ir::Graph g = onnx_import::load_onnx_for_inference(BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx");
  return g;
}

config::OptimizerConfig small_config() {
  config::OptimizerConfig c;
  c.teacher.model = BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx";
  c.data.validation_count = 5000;
  c.finetune.batch_size = 32;
  c.finetune.train_images = 1280;
  c.finetune.epochs = 1.0;
  c.profile.warmup = 1;
  c.profile.runs = 3;
  c.profile.rounds = 2;
  return c;
}

// The teacher with its unit 4 dropped (a residual block whose input and
// output shapes are equal): a student that has something to learn.
ir::Graph dropped_unit_student() {
  ir::Graph t = teacher();
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(t);
  for (int u = 1; u + 1 < static_cast<int>(analysis.units.size()); ++u) {
    if (t.shape_of(analysis.cuts[static_cast<size_t>(u)]) == t.shape_of(analysis.cuts[static_cast<size_t>(u + 1)])) {
      blocks::Replacement r;
      r.cut_begin = u;
      r.cut_end = u + 1;
      r.graph = house::identity_graph(t, analysis, u);
      return blocks::stitch(t, {r});
    }
  }
  FAIL("the teacher has no unit with equal input and output shapes");
  return t;
}

}  // namespace

TEST_CASE("fine-tuning by distillation lowers the loss and keeps blocks and shapes") {
  const config::OptimizerConfig c = small_config();
  const house::TeacherData data = house::open_teacher_data(c, teacher());
  const ir::Graph student = dropped_unit_student();
  const FinetuneResult r = finetune_student(student, teacher(), data, c.finetune, 7, 2, nullptr);
  REQUIRE(r.ok);
  CHECK(r.steps == 1280 / 32);
  CHECK(r.last_loss < r.first_loss);
  CHECK(r.student.blocks.size() == student.blocks.size());
  CHECK(r.student.shape_of(r.student.outputs[0]) == student.shape_of(student.outputs[0]));
  // Same seed, same weights.
  const FinetuneResult again = finetune_student(student, teacher(), data, c.finetune, 7, 2, nullptr);
  CHECK(exporter::write_bspk(again.student) == exporter::write_bspk(r.student));
}

TEST_CASE("a non-finite loss is reported, not hidden") {
  config::OptimizerConfig c = small_config();
  c.finetune.lr = 1e30;
  c.finetune.train_images = 256;
  const house::TeacherData data = house::open_teacher_data(c, teacher());
  const FinetuneResult r = finetune_student(dropped_unit_student(), teacher(), data, c.finetune, 1, 2, nullptr);
  CHECK_FALSE(r.ok);
  CHECK(r.reason.find("diverged") != std::string::npos);
}

TEST_CASE("acceptance on the local device: the teacher passes, a tiny budget and memory budget fail") {
  const config::OptimizerConfig c = small_config();
  const house::TeacherData data = house::open_teacher_data(c, teacher());
  config::TargetConfig target;
  target.name = "here";
  target.budget_ms = 1000;
  std::unique_ptr<latency::DeviceLink> link = latency::connect(target);
  const std::vector<uint8_t> bytes = exporter::write_bspk(teacher());
  const Acceptance ok = accept_on_device(*link, bytes, teacher(), bytes, data, target, 1000.0, c.profile, 1e-3, 4);
  CHECK(ok.inputs == 4);
  CHECK(ok.numerics_ok);
  CHECK(ok.max_abs_error < 1e-3 * std::max(1.0, ok.max_abs_output));
  CHECK(ok.median_ms > 0);
  CHECK(ok.p90_ms >= ok.median_ms);
  CHECK(ok.arena_bytes > 0);
  CHECK(ok.weights_bytes > 0);
  CHECK(ok.teacher_ms > 0);  // measured side by side (the same model here)
  CHECK(ok.accepted());
  CHECK(ok.sha256 == latency::sha256_hex(bytes));

  target.memory_budget_bytes = 1024;
  const Acceptance tight = accept_on_device(*link, bytes, teacher(), {}, data, target, 1e-6, c.profile, 1e-3, 2);
  CHECK_FALSE(tight.latency_ok);
  CHECK_FALSE(tight.memory_ok);
  CHECK(tight.verdict().find("over the budget") != std::string::npos);
  CHECK(tight.verdict().find("memory budget") != std::string::npos);

  // A ratio budget is held to the tighter of the stated budget and the ratio
  // of the teacher measured in the same rounds.
  config::TargetConfig ratio = target;
  ratio.budget_ms = 0;
  ratio.budget_ratio = 10.0;
  ratio.memory_budget_bytes = 0;
  const Acceptance loose = accept_on_device(*link, bytes, teacher(), bytes, data, ratio, 1000.0, c.profile, 1e-3, 2);
  CHECK(loose.budget_ms == doctest::Approx(10.0 * loose.teacher_ms));
  CHECK(loose.latency_ok);
  const Acceptance held = accept_on_device(*link, bytes, teacher(), bytes, data, ratio, 1e-6, c.profile, 1e-3, 2);
  CHECK(held.budget_ms == 1e-6);
  CHECK_FALSE(held.latency_ok);

  // Numerics: a graph that is not the one serialized is caught.
  const Acceptance wrong =
      accept_on_device(*link, bytes, dropped_unit_student(), {}, data, target, 1000.0, c.profile, 1e-3, 2);
  CHECK_FALSE(wrong.numerics_ok);
}

TEST_CASE("report: a student survives the JSON round trip; the plot is a PNG of the asked size") {
  StudentSummary s;
  s.target = "t";
  s.device = "local";
  s.backend = "xnnpack";
  s.threads = 2;
  s.budget_ms = 0.125;
  s.latency_ms = 0.1;
  s.p90_ms = 0.11;
  s.accuracy = 0.9;
  s.params = 12345;
  s.flops = 999999;
  s.replaced.push_back({"s1-3/pruned/0.5", "pruned", 1, 3, "a,b", "teacher"});
  s.bspk = "students/t/student.bspk";
  s.sha256 = std::string(64, 'a');
  s.acceptance = "accepted";
  s.meets_budget = s.meets_memory = s.meets_floor = true;
  CHECK(to_json(student_from_json(to_json(s))) == to_json(s));

  PipelineReport report;
  report.teacher.accuracy = 0.93;
  report.teacher.latency_ms = 0.2;
  report.teacher.params = 1000;
  report.teacher.flops = 2000;
  report.targets.push_back(s);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "bespoke-report-test";
  std::filesystem::create_directories(dir);
  write_report(report, dir.string());
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load((dir / "pareto.png").c_str(), &w, &h, &channels, 3);
  REQUIRE(pixels != nullptr);
  CHECK(w == 900);
  CHECK(h == 600);
  size_t coloured = 0;  // the student's series colour (the first of the palette) is drawn
  for (int i = 0; i < w * h; ++i)
    coloured += pixels[3 * i] == 31 && pixels[3 * i + 1] == 119 && pixels[3 * i + 2] == 180;
  stbi_image_free(pixels);
  CHECK(coloured > 50);
  const nlohmann::json j = nlohmann::json::parse(std::ifstream(dir / "report.json"));
  CHECK(j.at("targets").at(0).at("status") == "ok");
  CHECK(report_table(report).find("| t |") != std::string::npos);
  // A target the search could not serve is said to have no student, with no made-up figures.
  StudentSummary none;
  none.target = "unserved";
  none.acceptance = "no student: nothing fits";
  report.targets.push_back(none);
  CHECK(report_table(report).find("| unserved | 0.0000 | - | - |") != std::string::npos);
  CHECK(to_json(none).at("status") == "no student");
  std::filesystem::remove_all(dir);
}

TEST_CASE("baselines: uniform pruning shrinks every inner convolution; a scratch CNN fits the teacher's shapes") {
  const ir::Graph pruned = uniformly_pruned_teacher(teacher(), 0.5);
  CHECK(ir::summarize(pruned).parameters < ir::summarize(teacher()).parameters * 3 / 4);
  CHECK(pruned.shape_of(pruned.outputs[0]) == teacher().shape_of(teacher().outputs[0]));
  const ir::Graph small = scratch_student("resnet8-w8", teacher(), 1);
  CHECK(small.shape_of(small.inputs[0]) == teacher().shape_of(teacher().inputs[0]));
  CHECK(small.shape_of(small.outputs[0]) == teacher().shape_of(teacher().outputs[0]));
  CHECK_THROWS_AS(scratch_student("nonsense", teacher(), 1), std::invalid_argument);
}


namespace {

// `g` with a Softmax over its logits: a classifier that outputs probabilities,
// as the PP-OCR direction classifier does.
ir::Graph with_softmax(const ir::Graph& g) {
  ir::Graph out = g;
  const int logits = out.outputs.at(0);
  ir::Value v;
  v.name = out.unique_name("probabilities");
  v.shape = out.shape_of(logits);
  const int probabilities = out.add_value(std::move(v));
  ir::Node n;
  n.name = "final_softmax";
  n.op = "Softmax";
  n.inputs = {logits};
  n.outputs = {probabilities};
  n.attrs["axis"] = int64_t{1};
  out.add_node(std::move(n));
  out.outputs = {probabilities};
  return out;
}

}  // namespace

TEST_CASE("a classifier that outputs probabilities is fine-tuned on its values before the softmax") {
  config::OptimizerConfig c = small_config();
  c.finetune.train_images = 32;  // one batch: its loss does not depend on the shuffled order
  c.finetune.batch_size = 32;
  c.finetune.label_weight = 0.0;
  c.finetune.temperature = 4.0;
  c.finetune.schedule = "constant";
  c.finetune.lr = 1e-12;  // the step barely moves the weights; the loss is of the given student
  const ir::Graph teacher_p = with_softmax(teacher());
  const ir::Graph student_p = with_softmax(dropped_unit_student());
  const house::TeacherData data = house::open_teacher_data(c, teacher_p);
  CHECK(data.head.activation == task::OutputActivation::kSoftmax);
  const FinetuneResult r = finetune_student(student_p, teacher_p, data, c.finetune, 3, 2, nullptr);
  REQUIRE(r.ok);
  REQUIRE(r.steps == 1);

  // The same loss computed here on the logits (the graphs without the softmax).
  const data::SplitView& view = data.dataset.split(data::Split::kTrain);
  const std::vector<int64_t> first(view.indices.begin(), view.indices.begin() + 32);
  data::LoaderOptions options;
  options.batch_size = 32;
  data::BatchLoader loader(view.set, first,
                           data::Preprocessor({view.set->channels, view.set->height, view.set->width},
                                              data::Preprocessor::geometry_of_input(data.input_shape),
                                              data.normalization),
                           options);
  loader.start_epoch(0);
  const data::Batch* batch = loader.next();
  const at::Tensor images =
      at::from_blob(const_cast<float*>(batch->images.data()), {batch->size, data.input_shape[1], data.input_shape[2], data.input_shape[3]}, at::kFloat)
          .clone();
  torchbridge::GraphModule t(teacher()), s(dropped_unit_student());
  at::NoGradGuard no_grad;
  const at::Tensor tl = t.forward({images}).at(0), sl = s.forward({images}).at(0);
  const double T = 4.0;
  const double on_logits =
      (at::kl_div(at::log_softmax(sl / T, 1), at::softmax(tl / T, 1), at::Reduction::None).sum(1).mean() * T * T)
          .item<double>();
  const at::Tensor tp = at::softmax(tl, 1), sp = at::softmax(sl, 1);
  const double on_probabilities =
      (at::kl_div(at::log_softmax(sp / T, 1), at::softmax(tp / T, 1), at::Reduction::None).sum(1).mean() * T * T)
          .item<double>();
  INFO("KD on logits " << on_logits << ", on probabilities " << on_probabilities << ", fine-tuning's " << r.first_loss);
  CHECK(r.first_loss == doctest::Approx(on_logits).epsilon(1e-3));
  CHECK(std::abs(r.first_loss - on_probabilities) > 0.1 * on_logits);  // the two differ: the test can tell them apart
}

}  // namespace bespoke::pipeline
