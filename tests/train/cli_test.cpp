// bespoke-opt train / eval end to end on a tiny Fashion-MNIST subset: an
// interrupted run resumed from its checkpoint directory alone, the effective
// config written next to the model, eval reproducing the training's final
// validation accuracy through both engines, and usage errors (exit 2).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/data_test_util.h"
#include "support/run_tool.h"
#include "train/checkpoint_store.h"
#include "train/train_config.h"

namespace {

bespoke::test::ToolRun run_opt(const std::string& arguments) {
  return bespoke::test::run_tool(std::string(BESPOKE_BINARY_DIR) + "/bin/bespoke-opt", arguments,
                                 std::string(BESPOKE_BINARY_DIR) + "/tests/train/cli_work");
}

}  // namespace

TEST_SUITE("train") {
  TEST_CASE("cli: train --stop-after, train --resume, eval on both engines") {
    const bespoke::test::ScratchDir dir("cli");
    const std::string model = dir.file("m.onnx"), ckpt = dir.file("ckpt");
    const std::string where = " -o " + model + " --checkpoint-dir " + ckpt;

    const bespoke::test::ToolRun first = run_opt(
        "train --arch resnet8-w8 --limit-train 512 --limit-val 256 --batch 64 --epochs 2 "
        "--lr 0.2 --threads 1 --seed 3 --stop-after 1" +
        where);
    INFO(first.all());
    REQUIRE(first.exit_code == 0);
    CHECK(first.all().find("stopped after epoch 1 of 2") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(model));

    // The checkpoint directory alone says how to continue.
    const bespoke::test::ToolRun second = run_opt("train --resume" + where);
    INFO(second.all());
    REQUIRE(second.exit_code == 0);
    CHECK(second.all().find("resuming after epoch 1 (step 8)") != std::string::npos);
    REQUIRE(std::filesystem::exists(model));
    const bespoke::train::TrainConfig written = bespoke::train::load_train_config(dir.file("m.train.toml"));
    CHECK(written.arch == "resnet8-w8");
    CHECK(written.epochs == 2);
    CHECK(written.seed == 3);
    const bespoke::train::CheckpointState state = bespoke::train::CheckpointStore(ckpt).load_state();
    REQUIRE(state.epochs_done == 2);

    // The validation subset the run used: the first 256 of the default split.
    const bespoke::test::ToolRun eval =
        run_opt("eval " + model + " --split val --limit 256 --engine both --threads 1 --json");
    INFO(eval.all());
    REQUIRE(eval.exit_code == 0);
    const nlohmann::json report = nlohmann::json::parse(eval.out);
    CHECK(report["samples"] == 256);
    // BatchNorm folding may flip a near tie: at most one of the 256 images.
    CHECK(std::abs(report["torch"]["accuracy"].get<double>() - state.history.back().val_accuracy) <= 1.0 / 256 + 1e-9);
    CHECK(report["agreement"].get<double>() >= 0.99);
    CHECK(report["runtime"]["loss"].get<double>() ==
          doctest::Approx(report["torch"]["loss"].get<double>()).epsilon(1e-3));
  }

  TEST_CASE("cli: bad arguments exit with 2 and say why") {
    const bespoke::test::ToolRun arch = run_opt("train --arch vgg -o /tmp/never.onnx --checkpoint-dir /tmp/never.ckpt");
    CHECK(arch.exit_code == 2);
    CHECK(arch.all().find("unknown architecture 'vgg'") != std::string::npos);
    const bespoke::test::ToolRun lr = run_opt("train --lr -1 -o /tmp/never.onnx --checkpoint-dir /tmp/never.ckpt");
    CHECK(lr.exit_code == 2);
    CHECK(lr.all().find("optimizer.lr must be positive") != std::string::npos);
    const bespoke::test::ToolRun split =
        run_opt("eval " + std::string(BESPOKE_SOURCE_DIR) + "/CMakeLists.txt --split dev");
    CHECK(split.exit_code == 2);
    CHECK(split.all().find("unknown split 'dev'") != std::string::npos);
    std::filesystem::remove_all("/tmp/never.ckpt");
    std::filesystem::remove("/tmp/never.train.toml");
  }

}  // TEST_SUITE
