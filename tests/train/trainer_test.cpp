// A smoke training run on a tiny Fashion-MNIST subset: the loss goes down,
// an interrupted run resumes at the right epoch and ends exactly where an
// uninterrupted one does, and the export folds BatchNorm without changing
// the outputs (LibTorch on the export, and the ONNX file re-imported).
// LibTorch before doctest: glog (through c10) defines CHECK too, doctest must win.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "ir/passes.h"
#include "onnx_export/onnx_writer.h"
#include "onnx_import/onnx_importer.h"
#include "support/data_test_util.h"
#include "train/batch_tensors.h"
#include "train/torch_evaluation.h"
#include "train/trainer.h"

using namespace bespoke;
using bespoke::test::ScratchDir;

namespace {

train::TrainConfig tiny_config() {
  train::TrainConfig c;
  c.arch = "resnet8-w8";
  c.limit_train = 2048;
  c.limit_validation = 512;
  c.batch_size = 32;
  c.epochs = 2;
  c.lr = 0.2;
  c.warmup_epochs = 0.25;
  c.seed = 5;
  c.threads = 1;
  c.log_seconds = 1000;
  return c;
}

bool same_parameters(torchbridge::GraphModule& a, torchbridge::GraphModule& b) {
  const auto pa = a.state(), pb = b.state();
  if (pa.size() != pb.size()) return false;
  for (size_t i = 0; i < pa.size(); ++i)
    if (pa[i].first != pb[i].first || !at::equal(pa[i].second, pb[i].second)) return false;
  return true;
}

}  // namespace

TEST_SUITE("train") {
  TEST_CASE("trainer: one short epoch on a small subset lowers the validation loss") {
    ScratchDir dir("train-smoke");
    std::ostringstream log;
    train::TrainConfig config = tiny_config();
    config.epochs = 1;
    train::Trainer trainer(config, dir.file("ckpt"), log);
    data::BatchLoader val = trainer.make_eval_loader(data::Split::kValidation);
    const train::EvalResult before = train::evaluate_torch(trainer.module(), val);
    const train::CheckpointState& state = trainer.run(false);
    REQUIRE(state.epochs_done == 1);
    const train::EvalResult after = train::evaluate_torch(trainer.module(), val);
    MESSAGE("validation loss " << before.mean_loss() << " -> " << after.mean_loss() << ", accuracy "
                               << before.accuracy() << " -> " << after.accuracy());
    CHECK(after.mean_loss() < 0.8 * before.mean_loss());
    CHECK(after.accuracy() > before.accuracy() + 0.2);
    CHECK(state.history[0].val_loss == doctest::Approx(after.mean_loss()).epsilon(1e-9));
    CHECK(log.str().find("epoch 1/1 done") != std::string::npos);
    CHECK(std::filesystem::exists(dir.file("ckpt/epoch-0001.model.pt")));
    CHECK(std::filesystem::exists(dir.file("ckpt/config.toml")));
  }

  TEST_CASE("trainer: an interrupted run resumes at the right epoch and matches an uninterrupted one") {
    ScratchDir dir("train-resume");
    const train::TrainConfig config = tiny_config();
    std::ostringstream log_a, log_b, log_c;
    train::Trainer straight(config, dir.file("a"), log_a);
    const train::CheckpointState a = straight.run(false);
    REQUIRE(a.epochs_done == 2);

    {
      train::Trainer interrupted(config, dir.file("b"), log_b);
      CHECK(interrupted.run(false, /*stop_after_epoch=*/1).epochs_done == 1);
    }
    train::Trainer resumed(config, dir.file("b"), log_c);
    const train::CheckpointState c = resumed.run(true);
    CHECK(log_c.str().find("resuming after epoch 1 (step 64)") != std::string::npos);
    REQUIRE(c.epochs_done == 2);
    CHECK(c.steps_done == a.steps_done);
    // The first step after resuming sees the same weights, momentum and batch.
    CHECK(c.history[1].first_step_loss == a.history[1].first_step_loss);
    CHECK(c.history[1].train_loss == a.history[1].train_loss);
    CHECK(c.history[1].val_accuracy == a.history[1].val_accuracy);
    CHECK(same_parameters(straight.module(), resumed.module()));
    // Only the newest checkpoints are kept; a finished run is not restarted by accident.
    std::ostringstream ignored;
    train::Trainer again(config, dir.file("b"), ignored);
    CHECK_THROWS_WITH(again.run(false), doctest::Contains("already holds a run; use --resume"));
    train::TrainConfig changed = config;
    changed.lr = 0.3;
    train::Trainer other(changed, dir.file("b"), ignored);
    CHECK_THROWS_WITH(other.run(true), doctest::Contains("lr = 0.3"));
  }

  TEST_CASE("trainer: the export folds BatchNorm and computes what the trained module computes") {
    ScratchDir dir("train-export");
    std::ostringstream log;
    train::TrainConfig config = tiny_config();
    config.epochs = 1;
    train::Trainer trainer(config, dir.file("ckpt"), log);
    trainer.run(false);
    const ir::Graph exported = trainer.export_graph();
    CHECK(ir::validate(exported, true).empty());
    for (const ir::Node& n : exported.nodes) CHECK(n.op != "BatchNormalization");
    bool has_mean = false;
    for (const auto& [k, v] : exported.metadata) has_mean |= k == "preprocess.mean";
    CHECK(has_mean);

    data::BatchLoader val = trainer.make_eval_loader(data::Split::kValidation, 64);
    val.start_epoch(0);
    const data::Batch* batch = val.next();
    REQUIRE(batch != nullptr);
    const train::BatchTensors t = train::batch_tensors(*batch, val.preprocessor().target());
    trainer.module().eval();
    at::NoGradGuard no_grad;
    const at::Tensor expected = trainer.module().forward({t.images})[0];
    torchbridge::GraphModule folded(exported);
    CHECK(at::allclose(folded.forward({t.images})[0], expected, 1e-4, 1e-4));

    // Through the ONNX file and the importer (batch 1 fixed in the file: one image).
    const std::string path = dir.file("model.onnx");
    onnx_export::save_onnx(exported, path);
    torchbridge::GraphModule reimported(onnx_import::load_onnx_for_inference(path));
    CHECK(at::allclose(reimported.forward({t.images.narrow(0, 0, 1)})[0], expected.narrow(0, 0, 1), 1e-4, 1e-4));
  }

}  // TEST_SUITE
