// Training config (TOML) round trip and errors, and the learning rate schedule.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "toml_text/toml_values.h"
#include "train/lr_schedule.h"
#include "train/progress.h"
#include "train/train_config.h"

using namespace bespoke;

TEST_SUITE("train") {
  TEST_CASE("config: TOML round trip keeps every setting") {
    train::TrainConfig c;
    c.arch = "resnet14-w16";
    c.input_shape = {1, 1, 32, 32};
    c.data = "/data/my \"images\"";
    c.epochs = 3;
    c.lr = 0.05;
    c.nesterov = false;
    c.seed = 123456789012345ULL;
    c.warmup_epochs = 0.5;
    const train::TrainConfig back = train::parse_train_config(train::to_toml(c), "roundtrip");
    CHECK(train::to_toml(back) == train::to_toml(c));
    CHECK(back.same_run(c));
    train::TrainConfig other_threads = c;
    other_threads.threads = 7;
    CHECK(other_threads.same_run(c));
    train::TrainConfig other_lr = c;
    other_lr.lr = 0.2;
    CHECK_FALSE(other_lr.same_run(c));
  }

  TEST_CASE("config: partial files keep defaults; unknown keys and wrong types are named") {
    const train::TrainConfig c = train::parse_train_config("[optimizer]\nepochs = 4\nlr = 1\n", "partial.toml");
    CHECK(c.epochs == 4);
    CHECK(c.lr == 1.0);
    CHECK(c.arch == train::TrainConfig{}.arch);
    CHECK_THROWS_WITH(train::parse_train_config("[optimizer]\nepoch = 4\n", "typo.toml"),
                      "config 'typo.toml': optimizer.epoch: unknown key");
    CHECK_THROWS_WITH(train::parse_train_config("[optimiser]\n", "t.toml"),
                      "config 't.toml': optimiser: unknown table");
    CHECK_THROWS_WITH(train::parse_train_config("[run]\nseed = \"x\"\n", "s.toml"),
                      "config 's.toml': run.seed: expected an integer");
    CHECK_THROWS_WITH(train::parse_train_config("[run]\nseed = -1\n", "n.toml"),
                      "config 'n.toml': run.seed: must not be negative");
    CHECK_THROWS_WITH(train::parse_train_config("[run\n", "bad.toml"), doctest::Contains("config 'bad.toml':"));
    train::TrainConfig bad;
    bad.momentum = 1.5;
    CHECK_THROWS_WITH_AS(bad.check(), doctest::Contains("momentum"), std::invalid_argument);
  }

  TEST_CASE("schedule: linear warmup to the peak, cosine down to the minimum") {
    const train::CosineSchedule s(0.1, 0.001, 10, 110);
    CHECK(s.at(0) == doctest::Approx(0.01));
    CHECK(s.at(9) == doctest::Approx(0.1));
    CHECK(s.at(10) == doctest::Approx(0.1));
    CHECK(s.at(109) == doctest::Approx(0.001));
    // Halfway through the decay: the mean of peak and minimum.
    const train::CosineSchedule even(1.0, 0.0, 0, 101);
    CHECK(even.at(50) == doctest::Approx(0.5));
    for (int64_t step = 11; step < 110; ++step) CHECK(s.at(step) <= s.at(step - 1));
  }

  TEST_CASE("config: floats are written short and read back exactly") {
    CHECK(toml_text::toml_float(0.3) == "0.3");
    CHECK(toml_text::toml_float(1.0) == "1.0");
    CHECK(toml_text::toml_float(5e-4) == "0.0005");
    const double sum = 0.1 + 0.2;  // needs 17 digits
    CHECK(std::strtod(toml_text::toml_float(sum).c_str(), nullptr) == sum);
  }

  TEST_CASE("progress: durations") {
    CHECK(train::format_duration(75) == "1:15");
    CHECK(train::format_duration(3725) == "1:02:05");
    CHECK(train::format_duration(-1) == "?");
  }

}  // TEST_SUITE
