// The optimizer config file (optimizer/config/optimizer_config.h): what a
// valid file gives, that to_toml round-trips exactly, and that each kind of
// mistake is one ConfigError naming the file, the key and the line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "config/optimizer_config.h"
#include "support/data_test_util.h"

namespace bespoke {

namespace {

namespace fs = std::filesystem;
using config::ConfigError;
using config::OptimizerConfig;

// A folder with a teacher, a pretrained model and an image folder to name.
struct ConfigFixture {
  test::ScratchDir dir{"config"};
  ConfigFixture() {
    test::write_file_bytes(dir.file("teacher.onnx"), {1, 2, 3});
    test::write_file_bytes(dir.file("other.onnx"), {4, 5});
    fs::create_directories(dir.path() / "images");
  }
  std::string base() const { return dir.path().string(); }
  OptimizerConfig parse(const std::string& text) const {
    return config::parse_optimizer_config(text, "x.toml", base());
  }
  // The message of the ConfigError that parsing `text` throws.
  std::string error(const std::string& text) const {
    try {
      parse(text);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }
};

const char* const kMinimal = "[teacher]\nmodel = \"teacher.onnx\"\n";

}  // namespace

TEST_CASE("config: a minimal file gives the documented defaults and absolute paths") {
  const ConfigFixture f;
  const OptimizerConfig c = f.parse(kMinimal);
  const OptimizerConfig defaults;
  CHECK(c.source == "x.toml");
  CHECK(c.teacher.model == (f.dir.path() / "teacher.onnx").string());
  CHECK(c.teacher.input_shape.empty());
  CHECK(c.data.source == "fashion-mnist");
  CHECK(c.data.validation_count == 5000);
  CHECK(c.data.train_images == 8192);
  CHECK(c.house.spans.is_auto());      // cover every replaceable unit
  CHECK(c.house.max_units.is_auto());  // spans as long as a stage
  CHECK(c.house.kinds == defaults.house.kinds);
  CHECK(c.house.prune_ratios == std::vector<double>{0.25, 0.5});
  CHECK(c.distill.steps == 300);
  CHECK(c.distill.lr == 1e-3);
  CHECK(c.distill.schedule == "cosine");
  CHECK(c.run.out == (f.dir.path() / "out/house").string());
  CHECK(c.run.threads == 0);
  // Every setting except the paths equals the struct's default.
  OptimizerConfig expected = defaults;
  expected.teacher.model = c.teacher.model;
  expected.run.out = c.run.out;
  CHECK(config::to_toml(c) == config::to_toml(expected));
}

TEST_CASE("config: to_toml round-trips every setting exactly") {
  const ConfigFixture f;
  const OptimizerConfig c = f.parse(std::string(kMinimal) + R"(
input_shape = [2, 3, 32, 30]
mean = [0.485, 0.456, 0.406]
std = [0.229, 0.224, 0.225]
channels = 3
resize = [32, 30]
[data]
source = "images"
validation_count = 17
split_seed = 9
train_images = 0
validation_images = 33
[house]
pretrained = ["other.onnx"]
spans = 3
min_units = 2
max_units = 4
kinds = ["pruned", "drop"]
prune_ratios = [0.1, 0.3333333333333333]
low_rank_ratios = [0.7]
max_alternatives_per_span = 5
max_pretrained_per_span = 0
max_params_ratio = 1
[distill]
steps = 7
batch_size = 3
lr = 0.1
schedule = "constant"
warmup_steps = 2
min_lr = 1e-5
weight_decay = 5e-4
feature_cache_mb = 0
[run]
seed = 12345678901
threads = 2
out = "houses/a \"quoted\" name"
log_seconds = 0.25
)");
  CHECK(c.teacher.input_shape == std::vector<int64_t>{2, 3, 32, 30});
  CHECK(c.teacher.std[2] == 0.225);
  CHECK(c.data.source == (f.dir.path() / "images").string());
  CHECK(c.house.pretrained == std::vector<std::string>{(f.dir.path() / "other.onnx").string()});
  CHECK(c.house.prune_ratios[1] == 1.0 / 3.0);
  CHECK(c.house.max_params_ratio == 1.0);
  CHECK(c.run.seed == 12345678901ull);
  CHECK(c.run.out == (f.dir.path() / "houses/a \"quoted\" name").string());

  const std::string text = config::to_toml(c);
  // Parsed from elsewhere: the effective config holds absolute paths.
  const OptimizerConfig again = config::parse_optimizer_config(text, "effective.toml", "/nowhere");
  CHECK(config::to_toml(again) == text);
  CHECK(again.house.prune_ratios == c.house.prune_ratios);
  CHECK(again.teacher.mean == c.teacher.mean);
  CHECK(again.distill.min_lr == c.distill.min_lr);
  CHECK(again.run.log_seconds == c.run.log_seconds);
  CHECK(again.house.spans == 3);
  CHECK(again.house.max_units == 4);

  // "auto" (the default) is written as "auto" and reads back as auto.
  const OptimizerConfig automatic =
      f.parse(std::string(kMinimal) + "[house]\nspans = \"auto\"\nmax_units = \"auto\"\n");
  const std::string auto_text = config::to_toml(automatic);
  CHECK(auto_text.find("\nspans = \"auto\"\n") != std::string::npos);
  CHECK(auto_text.find("\nmax_units = \"auto\"\n") != std::string::npos);
  const OptimizerConfig auto_again = config::parse_optimizer_config(auto_text, "effective.toml", "/nowhere");
  CHECK(auto_again.house.spans.is_auto());
  CHECK(auto_again.house.max_units.is_auto());
  CHECK(config::to_toml(auto_again) == auto_text);
  CHECK(again.data.source == c.data.source);

  // save_optimizer_config writes the same text through a temporary file.
  const std::string saved = f.dir.file("effective.toml");
  config::save_optimizer_config(c, saved);
  CHECK(!fs::exists(saved + ".tmp"));
  const OptimizerConfig loaded = config::load_optimizer_config(saved);
  CHECK(config::to_toml(loaded) == text);
  CHECK(loaded.source == saved);
}

TEST_CASE("config: relative paths resolve against the config file's folder") {
  const ConfigFixture f;
  fs::create_directories(f.dir.path() / "configs");
  const std::string path = f.dir.file("configs/run.toml");
  std::ofstream(path) << "[teacher]\nmodel = \"../teacher.onnx\"\n[house]\npretrained = [\"../other.onnx\"]\n"
                         "[data]\nsource = \"../images\"\n[run]\nout = \"houses/demo\"\n";
  const OptimizerConfig c = config::load_optimizer_config(path);
  CHECK(c.teacher.model == (f.dir.path() / "teacher.onnx").string());
  CHECK(c.house.pretrained[0] == (f.dir.path() / "other.onnx").string());
  CHECK(c.data.source == (f.dir.path() / "images").string());
  CHECK(c.run.out == (f.dir.path() / "configs/houses/demo").string());
  // "fashion-mnist" is a name, not a path.
  CHECK(f.parse(std::string(kMinimal) + "[data]\nsource = \"fashion-mnist\"\n").data.source == "fashion-mnist");
}

TEST_CASE("config: every mistake names the file, the key and the line") {
  const ConfigFixture f;
  const std::string m = kMinimal;  // lines 1-2
  // Syntax.
  CHECK(f.error(m + "[run\n").find("x.toml:3:") == 0);
  // Unknown tables (the future [[targets]] and [search] included) and keys, with what is known.
  CHECK(f.error(m + "[searches]\nbudget = 1\n") ==
        "x.toml:3: searches: unknown table (known: teacher, data, house, distill, run, profile, search, finetune, "
        "targets)");
  const std::string unknown_key = f.error(m + "[house]\nspans = 3\nspanz = 4\n");
  CHECK(unknown_key.find("x.toml:5: house.spanz: unknown key (known in [house]: pretrained, spans, ") == 0);
  CHECK(f.error("house = 3\n" + m) == "x.toml:1: house: expected a table, got an integer");
  // Types.
  CHECK(f.error(m + "[house]\nspans = \"8\"\n") == "x.toml:4: house.spans: \"8\" is neither \"auto\" nor a count >= 1");
  CHECK(f.error(m + "[house]\nspans = \"x\"\n") == "x.toml:4: house.spans: \"x\" is neither \"auto\" nor a count >= 1");
  CHECK(f.error(m + "[house]\nmax_units = 2.5\n") ==
        "x.toml:4: house.max_units: expected \"auto\" or a count >= 1, got a float");
  CHECK(f.error(m + "[distill]\nlr = \"fast\"\n") == "x.toml:4: distill.lr: expected a number, got a string");
  CHECK(f.error(m + "[house]\nkinds = \"drop\"\n") == "x.toml:4: house.kinds: expected an array, got a string");
  CHECK(f.error(m + "[house]\nprune_ratios = [0.25,\n  \"half\"]\n") ==
        "x.toml:5: house.prune_ratios[1]: expected a number, got a string");
  CHECK(f.error(m + "[run]\nseed = -1\n") == "x.toml:4: run.seed: -1 is negative");
  CHECK(f.error(m + "[run]\nthreads = 5000000000\n") == "x.toml:4: run.threads: 5000000000 is out of range");
  // Ranges and names.
  CHECK(f.error(m + "[house]\nprune_ratios = [0.25,\n  1.5]\n") ==
        "x.toml:5: house.prune_ratios[1]: 1.5 is not in (0, 1)");
  CHECK(f.error(m + "[house]\nlow_rank_ratios = [0.5, 0.5]\n") ==
        "x.toml:4: house.low_rank_ratios[1]: 0.5 is listed twice");
  CHECK(f.error(m + "[house]\nkinds = [\"drop\", \"prunned\"]\n") ==
        "x.toml:4: house.kinds[1]: unknown value \"prunned\" (known: drop, pretrained, pruned, low_rank)");
  CHECK(f.error(m + "[house]\nkinds = []\n").find("x.toml:4: house.kinds: empty") == 0);
  CHECK(f.error(m + "[house]\nprune_ratios = []\n") ==
        "x.toml:4: house.prune_ratios: empty while house.kinds has \"pruned\"");
  CHECK(f.error(m + "[house]\nmin_units = 3\nmax_units = 2\n") ==
        "x.toml:5: house.max_units: 2 is below house.min_units = 3");
  CHECK(f.error(m + "[house]\nspans = 0\n") == "x.toml:4: house.spans: 0 is neither \"auto\" nor a count >= 1");
  CHECK(f.error(m + "[house]\nmax_units = -2\n") ==
        "x.toml:4: house.max_units: -2 is neither \"auto\" nor a count >= 1");
  CHECK(f.error(m + "[house]\nspans = 100001\n") == "x.toml:4: house.spans: 100001 is not in 1..100000");
  CHECK(f.error(m + "[house]\nmin_units = 3\nmax_units = \"auto\"\n") == "(no error)");
  CHECK(f.error(m + "[house]\nmax_params_ratio = -1\n") ==
        "x.toml:4: house.max_params_ratio: -1.0 is not a positive number");
  CHECK(f.error(m + "input_shape = [1, 3, 0, 28]\n") == "x.toml:3: teacher.input_shape[2]: 0 is below 1");
  CHECK(f.error(m + "input_shape = [1, 28, 28]\n") ==
        "x.toml:3: teacher.input_shape: expected [N, C, H, W] or [], got 3 values");
  CHECK(f.error(m + "channels = 3\nmean = [0.5]\n") == "x.toml:4: teacher.mean: 1 values for teacher.channels = 3");
  CHECK(f.error(m + "std = [0.5, 0]\n") == "x.toml:3: teacher.std[1]: 0.0 is not a positive number");
  CHECK(f.error(m + "[distill]\noptimizer = \"sgd\"\n") ==
        "x.toml:4: distill.optimizer: unknown value \"sgd\" (known: adam)");
  CHECK(f.error(m + "[distill]\nschedule = \"step\"\n") ==
        "x.toml:4: distill.schedule: unknown value \"step\" (known: cosine, constant)");
  CHECK(f.error(m + "[distill]\nsteps = 10\nwarmup_steps = 11\n") ==
        "x.toml:5: distill.warmup_steps: 11 is not in 0..10");
  CHECK(f.error(m + "[distill]\nmin_lr = 0.1\n") == "x.toml:4: distill.min_lr: 0.1 is above distill.lr = 0.001");
  CHECK(f.error(m + "[run]\nlog_seconds = 0\n") == "x.toml:4: run.log_seconds: 0.0 is not a positive number");
  // Required settings and files.
  CHECK(f.error("[house]\nspans = 2\n") == "x.toml: teacher.model: missing (the ONNX or .bspk model to optimize)");
  CHECK(f.error("[teacher]\nmodel = \"absent.onnx\"\n") ==
        "x.toml:2: teacher.model: no such file: " + (f.dir.path() / "absent.onnx").string());
  CHECK(f.error(m + "[house]\npretrained = [\"other.onnx\", \"gone.onnx\"]\n") ==
        "x.toml:4: house.pretrained[1]: no such file: " + (f.dir.path() / "gone.onnx").string());
  CHECK(f.error(m + "[house]\npretrained = [\"other.onnx\", \"./other.onnx\"]\n").find("house.pretrained[1]: ") !=
        std::string::npos);
  CHECK(f.error(m + "[data]\nsource = \"no-images\"\n") ==
        "x.toml:4: data.source: no such directory: " + (f.dir.path() / "no-images").string());
  CHECK(f.error(m + "[data]\nsource = \"teacher.onnx\"\n").find("x.toml:4: data.source: no such directory") == 0);
  // Nothing checks the files of a config read back from a house.
  CHECK_NOTHROW(config::parse_optimizer_config("[teacher]\nmodel = \"/absent.onnx\"\n", "house.sqlite", "/",
                                               config::FileChecks::kNone));
  // A file that cannot be opened.
  CHECK_THROWS_WITH_AS(config::load_optimizer_config(f.dir.file("none.toml")),
                       (f.dir.file("none.toml") + ": cannot open the config file").c_str(), ConfigError);
}

TEST_CASE("config: [[targets]] parse, round-trip, and every mistake is one line naming targets[i].key") {
  const ConfigFixture f;
  test::write_file_bytes(f.dir.file("token"), {'s', 'e', 'c'});
  const std::string m = kMinimal;  // lines 1-2
  const OptimizerConfig c = f.parse(m + R"([[targets]]
name = "pc-1t"
budget_ms = 0.15
[[targets]]
name = "a53.board_2"
device = "agent"
address = "127.0.0.1:7070"
token_file = "token"
backend = "xnnpack"
threads = 2
budget_ratio = 0.5
memory_budget_bytes = 1000000
)");
  REQUIRE(c.targets.size() == 2);
  CHECK(c.targets[0].name == "pc-1t");
  CHECK(c.targets[0].device == "local");
  CHECK(c.targets[0].backend == "auto");
  CHECK(c.targets[0].threads == 1);
  CHECK(c.targets[0].budget_ms == 0.15);
  CHECK(c.targets[1].token_file == f.dir.file("token"));
  CHECK(c.targets[1].threads == 2);
  CHECK(c.targets[1].budget_ratio == 0.5);
  CHECK(c.targets[1].memory_budget_bytes == 1000000);
  const std::string text = config::to_toml(c);
  const OptimizerConfig again = config::parse_optimizer_config(text, "effective.toml", "/nowhere");
  CHECK(config::to_toml(again) == text);
  REQUIRE(again.targets.size() == 2);
  CHECK(again.targets[1].address == "127.0.0.1:7070");
  CHECK(again.targets[1].token_file == f.dir.file("token"));

  const std::string t = m + "[[targets]]\n";  // targets[0] opens on line 3
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\nbudget = 2\n") ==
        "x.toml:6: targets[0].budget: unknown key (known in [[targets]]: name, device, address, token_file, backend, "
        "threads, budget_ms, budget_ratio, memory_budget_bytes)");
  CHECK(f.error(t + "name = \"a b\"\nbudget_ms = 1\n") ==
        "x.toml:4: targets[0].name: \"a b\" is not made of A-Z a-z 0-9 _ . -");
  CHECK(f.error(t + "budget_ms = 1\n").find("x.toml:3: targets[0].name: missing") == 0);
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\n[[targets]]\nname = \"a\"\nbudget_ms = 2\n") ==
        "x.toml:7: targets[1].name: \"a\" names another target too");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\ndevice = \"ssh\"\n") ==
        "x.toml:6: targets[0].device: unknown value \"ssh\" (known: local, agent, offline)");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\ndevice = \"agent\"\ntoken_file = \"token\"\n") ==
        "x.toml:3: targets[0].address: missing (device = \"agent\" needs \"host:port\")");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\ndevice = \"agent\"\naddress = \"h:1\"\n")
            .find("x.toml:3: targets[0].token_file: missing") == 0);
  // A token file that does not exist yet is fine: it is read when the agent is connected.
  CHECK(f.parse(t + "name = \"a\"\nbudget_ms = 1\ndevice = \"agent\"\naddress = \"h:1\"\ntoken_file = \"none\"\n")
            .targets[0]
            .token_file == f.dir.file("none"));
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\naddress = \"host:99999\"\n") ==
        "x.toml:6: targets[0].address: \"host:99999\" is not host:port with a port in 1..65535");
  CHECK(f.error(t + "name = \"a\"\n") ==
        "x.toml:3: targets[0].budget_ms: exactly one of budget_ms and budget_ratio must be set (> 0)");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\nbudget_ratio = 0.5\n") ==
        "x.toml:6: targets[0].budget_ratio: exactly one of budget_ms and budget_ratio must be set (> 0)");
  CHECK(f.error(t + "name = \"a\"\nbudget_ratio = 1.5\n") == "x.toml:5: targets[0].budget_ratio: 1.5 is not in (0, 1]");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = -1\n") ==
        "x.toml:5: targets[0].budget_ms: -1.0 is negative or not finite");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\nbackend = \"cuda\"\n") ==
        "x.toml:6: targets[0].backend: unknown value \"cuda\" (known: auto, reference, xnnpack, onednn)");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = 1\nthreads = 0\n") ==
        "x.toml:6: targets[0].threads: 0 is not in 1..1024");
  CHECK(f.error(t + "name = \"a\"\nbudget_ms = \"1\"\n") ==
        "x.toml:5: targets[0].budget_ms: expected a number, got another type");
  CHECK(f.error("targets = 3\n" + m) == "x.toml:1: targets: expected an array of tables ([[targets]] blocks)");
}

TEST_CASE("config: house_differences lists the keys that change the house, and only those") {
  const ConfigFixture f;
  const OptimizerConfig built = f.parse(kMinimal);
  OptimizerConfig now = built;
  CHECK(config::house_differences(built, now).empty());
  now.run.threads = 7;
  now.run.out = "/elsewhere";
  now.run.log_seconds = 60;
  now.distill.feature_cache_mb = 1;
  CHECK(config::house_differences(built, now).empty());
  now.house.spans = 10;
  now.house.prune_ratios = {0.5};
  now.run.seed = 3;
  CHECK(config::house_differences(built, now) == std::vector<std::string>{"house.spans: \"auto\" -> 10",
                                                                          "house.prune_ratios: [0.25, 0.5] -> [0.5]",
                                                                          "run.seed: 0 -> 3"});
}

TEST_CASE("config: the shipped examples are valid configs") {
  const std::string examples = BESPOKE_SOURCE_DIR "/examples";
  // The PP-OCRv4 detector is a test asset (scripts/install-deps); without it only the syntax is checked.
  const bool assets = fs::exists(BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx");
  const auto text_of = [&](const std::string& name) {
    std::ifstream in(examples + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const OptimizerConfig demo =
      config::parse_optimizer_config(text_of("house-demo.toml"), "house-demo.toml", examples,
                                     assets ? config::FileChecks::kRequireExisting : config::FileChecks::kNone);
  CHECK(demo.teacher.model == fs::path(BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx").lexically_normal().string());
  CHECK(demo.house.pretrained.size() == 1);
  CHECK(demo.house.kinds.size() == 4);
  CHECK(demo.run.out == fs::path(BESPOKE_SOURCE_DIR "/out/house-demo").lexically_normal().string());
  // profile-demo.toml names the same house as house-demo.toml, plus its targets.
  const OptimizerConfig profiled =
      config::parse_optimizer_config(text_of("profile-demo.toml"), "profile-demo.toml", examples,
                                     assets ? config::FileChecks::kRequireExisting : config::FileChecks::kNone);
  CHECK(config::house_differences(demo, profiled).empty());
  CHECK(profiled.run.out == demo.run.out);
  REQUIRE(profiled.targets.size() == 4);
  CHECK(profiled.targets[0].name == "pc-1t");
  CHECK(profiled.targets[1].backend == "xnnpack");
  CHECK(profiled.targets[1].threads == 2);
  const OptimizerConfig own = config::parse_optimizer_config(text_of("house-own-model.toml"), "house-own-model.toml",
                                                             examples, config::FileChecks::kNone);
  CHECK(own.teacher.channels == 3);
  CHECK(own.data.source == examples + "/my-model/images");
}

}  // namespace bespoke
