// The one configuration file of an optimizer run (TOML, toml++): the model
// house, the target devices, the search and the fine-tuning.
//
//   [teacher] model = "../models/fashion_resnet.onnx"   # required
//             input_shape = [], mean = [], std = [], channels = 0, resize = [],
//             channel_order = "rgb", resize_mode = "auto",
//             task = "auto", charset = "", blank = 0, use_space_char = true,
//             db_threshold = 0.3, db_box_threshold = 0.6, db_unclip_ratio = 1.5
//   [data]    source = "fashion-mnist" (or an image folder), dir = "",
//             validation_count = 5000, split_seed = 1, train_images = 8192,
//             validation_images = 1000, labels = "labels.txt"
//   [house]   pretrained = [], spans = "auto", min_units = 1, max_units = "auto",
//             kinds = ["drop", "pretrained", "pruned", "low_rank"],
//             prune_ratios = [0.25, 0.5], low_rank_ratios = [0.25, 0.5],
//             max_alternatives_per_span = 12, max_pretrained_per_span = 3,
//             max_params_ratio = 2.0
//   [distill] steps = 300, batch_size = 64, optimizer = "adam", lr = 1e-3,
//             schedule = "cosine", warmup_steps = 0, min_lr = 0.0,
//             weight_decay = 0.0, feature_cache_mb = 1024
//   [run]     seed = 0, threads = 0, out = "out/house", log_seconds = 5.0
//   [profile] warmup = 5, runs = 20, rounds = 5, seed = 0
//   [[targets]] name = "...", device = "local" | "agent" | "offline",
//             address = "" (agent: "host:port"), token_file = "" (agent),
//             backend = "auto", threads = 1, budget_ms = 0.0 or budget_ratio = 0.0
//             (exactly one > 0), memory_budget_bytes = 0 (0 = none)
//   [search]  strategy = "anneal", iterations = 300, initial_temperature = 0.02, final_temperature = 0.0005,
//             validation_images = 1000, measure_best = 3
//   [finetune] epochs = 1.0, batch_size = 64, lr = 1e-3, schedule = "cosine",
//             temperature = 4.0, label_weight = 0.1, train_images = 0,
//             metric_floor = 0.0 (alias: accuracy_floor), tolerance = 1e-3
//
// house.spans and house.max_units are "auto" or a count >= 1 (CountOrAuto).
// spans = "auto": every unit an alternative can replace is covered by a span,
// the costliest first; a count only adds random spans up to that total, so an
// old config's count now gets complete coverage too (possibly more spans than
// the count). max_units = "auto": a span may be as long as a stage of the
// teacher, plus the stride unit after it (house/span_sampling.h).
//
// Every table and key is optional except teacher.model; a key nobody knows is
// an error (never ignored), and so is a value of the wrong type or out of
// range. Relative paths (teacher.model, house.pretrained, a data.source
// folder, data.dir, run.out) resolve against the directory of the config
// file, so the parsed config holds absolute paths and to_toml writes an
// effective config that is reusable from anywhere.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace bespoke::config {

struct TeacherConfig {
  std::string model;                 // ONNX or .bspk path (required)
  std::vector<int64_t> input_shape;  // [N, C, H, W]; empty = the model's own static shape
  std::vector<double> mean, std;  // per input channel; empty = model metadata preprocess.mean/std, else the dataset's
  int64_t channels = 0;           // 0 = the model input's channel count (data converted gray<->rgb to it)
  std::vector<int64_t> resize;    // [H, W]; empty = model input H, W
  // How images reach the model (data/image_folder.h): "rgb" or "bgr" (PaddleOCR's
  // detector was trained on BGR); "auto" | "stretch" | "pad_right" (auto: pad_right
  // for a ctc teacher, as PaddleOCR's recognizer preprocessing, else stretch).
  std::string channel_order = "rgb";
  std::string resize_mode = "auto";
  // What the output means (task/task_head.h): "auto" (from the output's rank and
  // the graph's last operator), "classify", "ctc" or "dense".
  std::string task = "auto";
  std::string charset;          // ctc: PaddleOCR key file, one character per line
  int64_t blank = 0;            // ctc: the blank class (PaddleOCR: 0, characters after it)
  bool use_space_char = true;   // ctc: one space class after the key file's characters
  double db_threshold = 0.3;    // dense: probability threshold of the binary map
  double db_box_threshold = 0.6;  // dense: a box's minimum mean probability
  double db_unclip_ratio = 1.5;   // dense: how far a box is grown back (DB's unclip)
};

struct DataConfig {
  std::string source = "fashion-mnist";  // or an image-folder directory
  std::string dir;                       // Fashion-MNIST directory override ("" = Debian's)
  int64_t validation_count = 5000;       // held out of the training set (when the dataset has no val split)
  uint64_t split_seed = 1;
  int64_t train_images = 8192;       // training-split images used for distillation (0 = all)
  int64_t validation_images = 1000;  // validation images for relative MSE / accuracy (0 = all)
  std::string labels = "labels.txt";  // PaddleOCR label file in each split folder (ctc, dense)
};

// A count the optimizer may choose: "auto" in the file, 0 here. Assignable
// from an integer, so code sets a count as it always did.
struct CountOrAuto {
  int64_t count = 0;  // 0 = "auto", else >= 1

  CountOrAuto(int64_t n = 0) : count(n) {}  // implicit: a count is a CountOrAuto
  bool is_auto() const { return count == 0; }
  friend bool operator==(CountOrAuto a, CountOrAuto b) { return a.count == b.count; }
  friend bool operator!=(CountOrAuto a, CountOrAuto b) { return a.count != b.count; }
};

// "auto" or the count, as a config file writes it (without quotes).
std::string count_or_auto_text(CountOrAuto value);

struct HouseConfig {
  std::vector<std::string> pretrained;  // ONNX models to take sub-networks from
  // Teacher spans: auto = as many as covering every replaceable unit takes; a
  // count adds random spans up to that total (coverage is never cut short).
  CountOrAuto spans;
  int64_t min_units = 1;
  CountOrAuto max_units;  // units per span: auto = up to a stage and the stride unit after it
  std::vector<std::string> kinds = {"drop", "pretrained", "pruned", "low_rank"};
  std::vector<double> prune_ratios = {0.25, 0.5};     // fraction of filters removed, each in (0, 1)
  std::vector<double> low_rank_ratios = {0.25, 0.5};  // rank / full rank, each in (0, 1)
  int64_t max_alternatives_per_span = 12;
  int64_t max_pretrained_per_span = 3;
  double max_params_ratio = 2.0;  // alternative params <= ratio * teacher span params (pretrained)
};

struct DistillConfig {
  int64_t steps = 300;
  int64_t batch_size = 64;
  std::string optimizer = "adam";  // only "adam" for now
  double lr = 1e-3;
  std::string schedule = "cosine";  // "cosine" or "constant"
  int64_t warmup_steps = 0;
  double min_lr = 0.0;
  double weight_decay = 0.0;
  int64_t feature_cache_mb = 1024;  // in-memory teacher features; beyond this they spill to a mmap'ed file
};

struct RunConfig {
  uint64_t seed = 0;
  int threads = 0;  // 0 = all cores
  std::string out = "out/house";
  double log_seconds = 5.0;
};

// How every target's probes and students are measured (latency/).
struct ProfileConfig {
  int64_t warmup = 5;  // untimed runs of each model before the first round
  int64_t runs = 20;   // timed runs of each model per round
  int64_t rounds = 5;  // interleaved rounds; a figure is the median of round medians
  uint64_t seed = 0;   // of the random inputs
};

// One device (and the way the application will run on it) to tailor a
// student for. The budget is absolute (budget_ms) or a ratio of the
// teacher's latency measured on this target (budget_ratio); exactly one is set.
struct TargetConfig {
  std::string name;              // [A-Za-z0-9_.-]+, unique
  std::string device = "local";  // "local" (in process), "agent", "offline"
  std::string address;           // agent: "host:port"
  std::string token_file;        // agent: file holding the token
  std::string backend = "auto";  // auto, reference, xnnpack, onednn
  int threads = 1;
  double budget_ms = 0.0;
  double budget_ratio = 0.0;        // in (0, 1]
  int64_t memory_budget_bytes = 0;  // arena + weights; 0 = no memory budget
};

// Simulated annealing over sets of non-overlapping replacements (search/).
struct SearchConfig {
  std::string strategy = "anneal";  // "anneal" (greedy start + simulated annealing) or "random" (a baseline)
  int64_t iterations = 300;
  double initial_temperature = 0.02;  // in accuracy units: a 2-point loss is accepted with p = 1/e at the start
  double final_temperature = 0.0005;  // geometric schedule between the two
  int64_t validation_images = 1000;   // the fixed subset every candidate is scored on
  int64_t measure_best = 3;           // candidates measured end to end on the target at the end
};

// Knowledge-distillation fine-tuning of the winner (pipeline/).
struct FinetuneConfig {
  double epochs = 1.0;  // passes over the training images (fractions allowed)
  int64_t batch_size = 64;
  double lr = 1e-3;                 // Adam
  std::string schedule = "cosine";  // "cosine" or "constant"
  double temperature = 4.0;         // of the softened logits
  double label_weight = 0.1;        // weight of the cross-entropy on labels; 1 - it on the KD loss
  int64_t train_images = 0;         // 0 = the whole training split
  // The task metric's test score (accuracy, line accuracy, box F1) below it is
  // reported as a failure (0 = no floor). The old key accuracy_floor is an alias.
  double metric_floor = 0.0;
  double tolerance = 1e-3;          // device vs LibTorch outputs at acceptance (max abs, relative to max |output|)
};

struct OptimizerConfig {
  std::string source;  // the file it was read from ("" if built in code)
  TeacherConfig teacher;
  DataConfig data;
  HouseConfig house;
  DistillConfig distill;
  RunConfig run;
  ProfileConfig profile;
  std::vector<TargetConfig> targets;  // [[targets]], in file order
  SearchConfig search;
  FinetuneConfig finetune;
};

// One line: "<file>:<line>: <key>: <what is wrong>" (":<line>" when toml++
// knows it), e.g. "examples/x.toml:12: house.prune_ratios[1]: 1.5 is not in (0, 1)".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether parsing checks that the files a config names exist. A config read
// back from a house (merge, status) may name files of another machine.
enum class FileChecks { kRequireExisting, kNone };

// Reads and checks `path`; relative paths resolve against its directory.
OptimizerConfig load_optimizer_config(const std::string& path);
// `source` names the text in messages; relative paths resolve against
// `base_dir` (itself made absolute from the working directory).
OptimizerConfig parse_optimizer_config(const std::string& toml_text, const std::string& source,
                                       const std::string& base_dir, FileChecks checks = FileChecks::kRequireExisting);

// Every setting (not `source`), table by table; parse(to_toml(c)) == c.
std::string to_toml(const OptimizerConfig& config);
// Writes to_toml through a temporary file and a rename. Throws ConfigError.
void save_optimizer_config(const OptimizerConfig& config, const std::string& path);

// The settings that change a house's content, one line per differing key:
// "house.spans: 8 -> 10". Ignores run.threads, run.out, run.log_seconds and
// distill.feature_cache_mb (where things run and how memory is used, not what
// is computed) and the tables of the later steps ([profile], [[targets]],
// [search], [finetune]). Empty = the same house.
std::vector<std::string> house_differences(const OptimizerConfig& built, const OptimizerConfig& now);

}  // namespace bespoke::config
