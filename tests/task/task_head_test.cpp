// The task head (task/task_head.h, task_loss.h, task_metric.h): deciding the
// task from the output, refusing what does not fit, and the losses and
// metrics against values computed here by hand.
// LibTorch before doctest: its glog CHECK must not replace doctest's.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/graph_builder.h"
#include "task/task_error.h"
#include "task/task_head.h"
#include "task/task_loss.h"
#include "task/task_metric.h"
#include "task/polygon_mask.h"

namespace bespoke::task {

namespace {

using test::GraphBuilder;

// input -> [activation] -> output, with the output's shape set.
ir::Graph head_graph(const ir::Shape& shape, const std::string& activation, int64_t axis = -1) {
  GraphBuilder b;
  const int x = b.input("x", shape);
  if (activation.empty()) {
    b.g.outputs = {x};
    return b.g;
  }
  test::Attrs attrs;
  if (activation == "Softmax") attrs["axis"] = axis;
  const int y = b.op(activation, {x}, attrs);
  b.g.values[static_cast<size_t>(y)].shape = shape;
  b.g.outputs = {y};
  return b.g;
}

config::TeacherConfig with_task(const std::string& task) {
  config::TeacherConfig c;
  c.task = task;
  return c;
}

std::string key_file(const std::vector<std::string>& characters) {
  const auto path = std::filesystem::temp_directory_path() / "bespoke_task_head_keys.txt";
  std::ofstream out(path);
  for (const std::string& c : characters) out << c << "\n";
  return path.string();
}

std::string error_of(const config::TeacherConfig& c, const ir::Graph& g) {
  try {
    resolve_task_head(c, g);
  } catch (const TaskError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("auto decides the task from the output's rank and recognises the final activation") {
  const TaskHead cls = resolve_task_head(with_task("auto"), head_graph({1, 2}, "Softmax", 1));
  CHECK(cls.kind == TaskKind::kClassify);
  CHECK(cls.activation == OutputActivation::kSoftmax);
  CHECK(cls.metric_name() == "accuracy");
  CHECK(cls.decision.find("auto") != std::string::npos);

  const TaskHead ctc = resolve_task_head(with_task("auto"), head_graph({1, 40, 7}, "Softmax", 2));
  CHECK(ctc.kind == TaskKind::kCtc);
  CHECK(ctc.classes() == 7);
  CHECK(ctc.metric_name() == "line_accuracy");

  const TaskHead dense = resolve_task_head(with_task("auto"), head_graph({1, 1, 8, 8}, "Sigmoid"));
  CHECK(dense.kind == TaskKind::kDense);
  CHECK(dense.activation == OutputActivation::kSigmoid);
  CHECK(dense.label_kind() == data::LabelKind::kBoxes);

  const TaskHead logits = resolve_task_head(with_task("classify"), head_graph({1, 10}, ""));
  CHECK(logits.activation == OutputActivation::kNone);
}

TEST_CASE("the values before the activation are what training compares") {
  const ir::Graph g = head_graph({1, 3}, "Softmax", -1);
  const TaskHead head = resolve_task_head(with_task("auto"), g);
  CHECK(logits_value(head, g) == g.inputs.at(0));
  const ir::Graph plain = head_graph({1, 3}, "");
  CHECK(logits_value(head, plain) == plain.outputs.at(0));  // a student without the activation: its output
}

TEST_CASE("a task that does not fit the output is refused, naming the output's shape") {
  CHECK(error_of(with_task("auto"), head_graph({1, 2, 3, 4, 5}, "")).find("[1, 2, 3, 4, 5]") != std::string::npos);
  CHECK(error_of(with_task("ctc"), head_graph({1, 10}, "")).find("[1, 10]") != std::string::npos);
  CHECK(error_of(with_task("dense"), head_graph({1, 3, 8, 8}, "")).find("3 channels") != std::string::npos);
  CHECK(error_of(with_task("ctc"), head_graph({1, 40, 7}, "Softmax", 1)).find("axis 1") != std::string::npos);
}

TEST_CASE("a charset whose size does not match the recognizer's classes is refused") {
  config::TeacherConfig c = with_task("ctc");
  c.charset = key_file({"0", "1", "2", "3", "4"});  // 5 + blank + space = 7
  const TaskHead ok = resolve_task_head(c, head_graph({1, 16, 7}, "Softmax", 2));
  REQUIRE(ok.charset.has_value());
  CHECK(ok.charset->classes() == 7);
  const std::string wrong = error_of(c, head_graph({1, 16, 8}, "Softmax", 2));
  CHECK(wrong.find("7 classes") != std::string::npos);
  CHECK(wrong.find("[1, 16, 8]") != std::string::npos);
  c.use_space_char = false;
  CHECK(resolve_task_head(c, head_graph({1, 16, 6}, "Softmax", 2)).charset->classes() == 6);
}

TEST_CASE("distillation losses equal their definitions, computed by hand") {
  TaskHead cls;
  cls.kind = TaskKind::kClassify;
  cls.output_shape = {1, 2};
  const at::Tensor s = at::tensor({1.0f, 2.0f}).view({1, 2}), t = at::tensor({2.0f, 1.0f}).view({1, 2});
  // T = 2: p = softmax(t / 2), q = softmax(s / 2), T^2 * sum p log(p / q).
  const double p0 = std::exp(1.0) / (std::exp(1.0) + std::exp(0.5)), p1 = 1 - p0;
  const double q0 = std::exp(0.5) / (std::exp(0.5) + std::exp(1.0)), q1 = 1 - q0;
  const double kl = p0 * std::log(p0 / q0) + p1 * std::log(p1 / q1);
  CHECK(distillation_loss(cls, s, t, 2.0).item<double>() == doctest::Approx(4 * kl).epsilon(1e-5));

  TaskHead ctc = cls;
  ctc.kind = TaskKind::kCtc;
  ctc.output_shape = {1, 2, 2};
  // Two steps: the first as above, the second equal (KL 0): the mean over steps is half.
  const at::Tensor s2 = at::stack({s[0], s[0]}).unsqueeze(0), t2 = at::stack({t[0], s[0]}).unsqueeze(0);
  CHECK(distillation_loss(ctc, s2, t2, 2.0).item<double>() == doctest::Approx(4 * kl / 2).epsilon(1e-5));

  TaskHead dense;
  dense.kind = TaskKind::kDense;
  dense.output_shape = {1, 1, 1, 2};
  const at::Tensor sd = at::tensor({0.0f, 1.0f}).view({1, 1, 1, 2}), td = at::tensor({2.0f, -1.0f}).view({1, 1, 1, 2});
  double bce = 0;
  for (int i = 0; i < 2; ++i) {
    const double target = 1 / (1 + std::exp(-td.view(-1)[i].item<double>()));
    const double p = 1 / (1 + std::exp(-sd.view(-1)[i].item<double>()));
    bce += -(target * std::log(p) + (1 - target) * std::log(1 - p)) / 2;
  }
  CHECK(distillation_loss(dense, sd, td, 4.0).item<double>() == doctest::Approx(bce).epsilon(1e-5));
}

TEST_CASE("the CTC label term is the negative log-likelihood of the transcript, by hand") {
  TaskHead head;
  head.kind = TaskKind::kCtc;
  head.output_shape = {1, 2, 2};
  head.blank = 0;
  CharsetOptions options;
  options.use_space_char = false;
  head.charset = Charset::from_characters({"a"}, options);  // classes: blank, 'a'
  data::ImageSet set;
  set.labels = {-1};
  set.transcripts = {"a"};
  set.origins = {"labels.txt:1"};
  const LabelTargets targets(head, set);
  REQUIRE(targets.available());
  // Logits per step; p(a) at step 1 = 0.7, step 2 = 0.4.
  const double a1 = 0.7, a2 = 0.4;
  const at::Tensor logits =
      at::tensor({0.0f, static_cast<float>(std::log(a1 / (1 - a1))), 0.0f, static_cast<float>(std::log(a2 / (1 - a2)))})
          .view({1, 2, 2});
  // Paths that collapse to "a": a a, a -, - a.
  const double p = a1 * a2 + a1 * (1 - a2) + (1 - a1) * a2;
  const std::optional<at::Tensor> loss = targets.loss(logits, {0});
  REQUIRE(loss.has_value());
  CHECK(loss->item<double>() == doctest::Approx(-std::log(p)).epsilon(1e-5));
}

TEST_CASE("metrics: accuracy, line accuracy and CER, box F1 and map IoU from decoded outputs") {
  TaskHead cls;
  cls.kind = TaskKind::kClassify;
  cls.output_shape = {1, 3};
  References refs = references_from_teacher({decode_output(cls, std::vector<float>{0, 5, 1}.data()),
                                             decode_output(cls, std::vector<float>{9, 5, 1}.data())});
  TaskMetric m(cls, refs);
  m.add(decode_output(cls, std::vector<float>{0.1f, 0.7f, 0.2f}.data()));
  m.add(decode_output(cls, std::vector<float>{0.1f, 0.7f, 0.2f}.data()));
  CHECK(m.result().score == doctest::Approx(0.5));
  CHECK(m.result().against_teacher);
  CHECK_THROWS_AS(m.add(Prediction{}), TaskError);

  TaskHead ctc;
  ctc.kind = TaskKind::kCtc;
  ctc.output_shape = {1, 4, 3};  // classes: blank, 1, 2
  // Steps argmax 1 1 0 2 -> [1, 2]; reference [1, 2, 2]: one edit over 3 characters.
  const std::vector<float> steps = {0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1};
  const Prediction decoded = decode_output(ctc, steps.data());
  CHECK(decoded.sequence == std::vector<int>({1, 2}));
  Prediction truth;
  truth.sequence = {1, 2, 2};
  References text_refs;
  text_refs.items = {truth, decoded};
  TaskMetric t(ctc, text_refs);
  t.add(decoded);
  t.add(decoded);
  CHECK(t.result().get("line_accuracy") == doctest::Approx(0.5));
  CHECK(t.result().get("cer") == doctest::Approx(1.0 / 5.0));

  TaskHead dense;
  dense.kind = TaskKind::kDense;
  dense.activation = OutputActivation::kSigmoid;
  dense.output_shape = {1, 1, 64, 64};
  // A map as DB draws it: the text's kernel (the polygon shrunk by DB's
  // distance) at 0.95; DB's unclip grows the box back to the text.
  // (Label shrink and unclip are not exact inverses on pixel centers: a
  // 60 x 20 line comes back at IoU ~0.6, a line a few pixels high would not.)
  const data::Polygon text{{2, 20}, {62, 20}, {62, 40}, {2, 40}};
  std::vector<float> map(64 * 64, 0.01f);
  fill_polygon(text, 64, 64, map.data(), 0.95f, db_shrink_distance(text));
  data::ImageSet set;
  set.height = set.width = 64;
  set.labels = {-1};
  set.regions = {{text}};
  set.ignored = {{false}};
  const References boxes = references_from_data(dense, set, {0});
  REQUIRE(boxes.items.size() == 1);
  TaskMetric d(dense, boxes);
  const Prediction found = decode_output(dense, map.data());
  REQUIRE(found.boxes.size() == 1);
  std::string corners;
  for (const data::Point& q : found.boxes[0]) corners += std::to_string(q.x) + "," + std::to_string(q.y) + " ";
  INFO("DB box " << corners);
  d.add(found);
  const TaskScores scores = d.result();
  CHECK(scores.metric == "box_f1");
  CHECK(scores.score == doctest::Approx(1.0));
  CHECK(scores.get("map_iou") == doctest::Approx(1.0));  // the same kernel the reference draws
}

}  // namespace bespoke::task
