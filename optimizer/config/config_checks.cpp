#include "config/config_checks.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "toml_text/toml_values.h"

namespace bespoke::config::detail {

using toml_text::toml_float;

namespace fs = std::filesystem;

namespace {

const char* const kFashionMnist = "fashion-mnist";

std::string absolute_path(const std::string& path, const fs::path& base) {
  if (path.empty()) return path;
  const fs::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

// Checks of one config, reporting through the file's key locations.
class Checker {
 public:
  Checker(const ConfigLocations& where, FileChecks files) : where_(where), files_(files) {}

  void at_least(const std::string& key, int64_t value, int64_t low) const {
    if (value < low) where_.fail(key, std::to_string(value) + " is below " + std::to_string(low));
  }
  void within(const std::string& key, int64_t value, int64_t low, int64_t high) const {
    if (value < low || value > high)
      where_.fail(key, std::to_string(value) + " is not in " + std::to_string(low) + ".." + std::to_string(high));
  }
  void positive(const std::string& key, double value) const {
    if (!std::isfinite(value) || value <= 0) where_.fail(key, toml_float(value) + " is not a positive number");
  }
  void non_negative(const std::string& key, double value) const {
    if (!std::isfinite(value) || value < 0) where_.fail(key, toml_float(value) + " is negative or not finite");
  }
  void one_of(const std::string& key, const std::string& value, const std::vector<std::string>& known) const {
    if (std::find(known.begin(), known.end(), value) != known.end()) return;
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    where_.fail(key, "unknown value \"" + value + "\" (known: " + list + ")");
  }
  // Each in (0, 1), none twice.
  void ratios(const std::string& key, const std::vector<double>& values) const {
    for (size_t i = 0; i < values.size(); ++i) {
      const std::string element = key + "[" + std::to_string(i) + "]";
      if (!(values[i] > 0 && values[i] < 1)) where_.fail(element, toml_float(values[i]) + " is not in (0, 1)");
      if (std::find(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(i), values[i]) !=
          values.begin() + static_cast<std::ptrdiff_t>(i))
        where_.fail(element, toml_float(values[i]) + " is listed twice");
    }
  }
  // Empty, or `rank` positive dimensions.
  void dims(const std::string& key, const std::vector<int64_t>& values, size_t rank, const std::string& form) const {
    if (values.empty()) return;
    if (values.size() != rank)
      where_.fail(key, "expected " + form + " or [], got " + std::to_string(values.size()) + " values");
    for (size_t i = 0; i < values.size(); ++i) at_least(key + "[" + std::to_string(i) + "]", values[i], 1);
  }
  void file(const std::string& key, const std::string& path) const {
    if (files_ == FileChecks::kNone) return;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) where_.fail(key, "no such file: " + path);
  }
  void directory(const std::string& key, const std::string& path) const {
    if (files_ == FileChecks::kNone) return;
    std::error_code ec;
    if (!fs::is_directory(path, ec)) where_.fail(key, "no such directory: " + path);
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const { where_.fail(key, what); }

 private:
  const ConfigLocations& where_;
  FileChecks files_;
};

void check_teacher(const TeacherConfig& t, const Checker& c) {
  if (t.model.empty()) c.fail("teacher.model", "missing (the ONNX or .bspk model to optimize)");
  c.file("teacher.model", t.model);
  c.dims("teacher.input_shape", t.input_shape, 4, "[N, C, H, W]");
  c.one_of("teacher.channels", std::to_string(t.channels), {"0", "1", "3"});
  for (size_t i = 0; i < t.mean.size(); ++i) {
    if (!std::isfinite(t.mean[i])) c.fail("teacher.mean[" + std::to_string(i) + "]", "not a finite number");
  }
  for (size_t i = 0; i < t.std.size(); ++i) c.positive("teacher.std[" + std::to_string(i) + "]", t.std[i]);
  if (!t.mean.empty() && !t.std.empty() && t.mean.size() != t.std.size())
    c.fail("teacher.std", std::to_string(t.std.size()) + " values for " + std::to_string(t.mean.size()) + " means");
  for (const auto* values : {&t.mean, &t.std}) {
    if (t.channels > 0 && !values->empty() && static_cast<int64_t>(values->size()) != t.channels)
      c.fail(values == &t.mean ? "teacher.mean" : "teacher.std",
             std::to_string(values->size()) + " values for teacher.channels = " + std::to_string(t.channels));
  }
  c.dims("teacher.resize", t.resize, 2, "[H, W]");
  c.one_of("teacher.channel_order", t.channel_order, {"rgb", "bgr"});
  c.one_of("teacher.resize_mode", t.resize_mode, {"auto", "stretch", "pad_right"});
  c.one_of("teacher.task", t.task, {"auto", "classify", "ctc", "dense"});
  if (!t.charset.empty()) c.file("teacher.charset", t.charset);
  c.at_least("teacher.blank", t.blank, 0);
  for (const auto& [key, value] : {std::pair<const char*, double>{"teacher.db_threshold", t.db_threshold},
                                   {"teacher.db_box_threshold", t.db_box_threshold}})
    if (!(value > 0 && value < 1)) c.fail(key, toml_float(value) + " is not in (0, 1)");
  c.positive("teacher.db_unclip_ratio", t.db_unclip_ratio);
}

void check_data(const DataConfig& d, const Checker& c) {
  if (d.source.empty()) c.fail("data.source", "empty (\"fashion-mnist\" or an image folder)");
  if (d.source != kFashionMnist) c.directory("data.source", d.source);
  if (!d.dir.empty()) c.directory("data.dir", d.dir);
  c.at_least("data.validation_count", d.validation_count, 1);
  c.at_least("data.train_images", d.train_images, 0);
  c.at_least("data.validation_images", d.validation_images, 0);
  if (d.labels.empty() || d.labels.find('/') != std::string::npos || d.labels == "." || d.labels == "..")
    c.fail("data.labels", "\"" + d.labels + "\" is not a file name (the label file inside each split folder)");
}

void check_house(const HouseConfig& h, const Checker& c) {
  std::set<std::string> seen;
  for (size_t i = 0; i < h.pretrained.size(); ++i) {
    const std::string key = "house.pretrained[" + std::to_string(i) + "]";
    c.file(key, h.pretrained[i]);
    if (!seen.insert(h.pretrained[i]).second) c.fail(key, h.pretrained[i] + " is listed twice");
  }
  if (!h.spans.is_auto()) c.within("house.spans", h.spans.count, 1, 100000);
  c.within("house.min_units", h.min_units, 1, 100000);
  if (!h.max_units.is_auto()) {
    if (h.max_units.count < h.min_units)
      c.fail("house.max_units",
             std::to_string(h.max_units.count) + " is below house.min_units = " + std::to_string(h.min_units));
    c.within("house.max_units", h.max_units.count, 1, 100000);
  }
  if (h.kinds.empty()) c.fail("house.kinds", "empty (at least one of drop, pretrained, pruned, low_rank)");
  for (size_t i = 0; i < h.kinds.size(); ++i) {
    const std::string key = "house.kinds[" + std::to_string(i) + "]";
    c.one_of(key, h.kinds[i], alternative_kind_names());
    if (std::count(h.kinds.begin(), h.kinds.end(), h.kinds[i]) > 1)
      c.fail(key, "\"" + h.kinds[i] + "\" is listed twice");
  }
  const auto listed = [&](const char* kind) {
    return std::find(h.kinds.begin(), h.kinds.end(), kind) != h.kinds.end();
  };
  c.ratios("house.prune_ratios", h.prune_ratios);
  if (listed("pruned") && h.prune_ratios.empty())
    c.fail("house.prune_ratios", "empty while house.kinds has \"pruned\"");
  c.ratios("house.low_rank_ratios", h.low_rank_ratios);
  if (listed("low_rank") && h.low_rank_ratios.empty())
    c.fail("house.low_rank_ratios", "empty while house.kinds has \"low_rank\"");
  c.within("house.max_alternatives_per_span", h.max_alternatives_per_span, 1, 100000);
  c.within("house.max_pretrained_per_span", h.max_pretrained_per_span, 0, 100000);
  c.positive("house.max_params_ratio", h.max_params_ratio);
}

void check_distill(const DistillConfig& d, const Checker& c) {
  c.within("distill.steps", d.steps, 0, 100000000);
  c.within("distill.batch_size", d.batch_size, 1, 65536);
  c.one_of("distill.optimizer", d.optimizer, {"adam"});
  c.positive("distill.lr", d.lr);
  c.one_of("distill.schedule", d.schedule, {"cosine", "constant"});
  c.within("distill.warmup_steps", d.warmup_steps, 0, d.steps);
  c.non_negative("distill.min_lr", d.min_lr);
  if (d.min_lr > d.lr) c.fail("distill.min_lr", toml_float(d.min_lr) + " is above distill.lr = " + toml_float(d.lr));
  c.non_negative("distill.weight_decay", d.weight_decay);
  c.at_least("distill.feature_cache_mb", d.feature_cache_mb, 0);
}

void check_run(const RunConfig& r, const Checker& c) {
  c.within("run.threads", r.threads, 0, 1024);
  if (r.out.empty()) c.fail("run.out", "empty (the house folder)");
  c.positive("run.log_seconds", r.log_seconds);
}

void check_profile(const ProfileConfig& p, const Checker& c) {
  c.within("profile.warmup", p.warmup, 0, 100000);
  c.within("profile.runs", p.runs, 1, 100000);
  c.within("profile.rounds", p.rounds, 1, 1000);
}

void check_search(const SearchConfig& s, const Checker& c) {
  c.one_of("search.strategy", s.strategy, {"anneal", "random"});
  c.within("search.iterations", s.iterations, 0, 100000000);
  c.positive("search.initial_temperature", s.initial_temperature);
  c.positive("search.final_temperature", s.final_temperature);
  if (s.final_temperature > s.initial_temperature)
    c.fail("search.final_temperature", toml_float(s.final_temperature) + " is above search.initial_temperature = " +
                                           toml_float(s.initial_temperature));
  c.within("search.validation_images", s.validation_images, 1, 100000000);
  c.within("search.measure_best", s.measure_best, 1, 64);
}

void check_finetune(const FinetuneConfig& f, const Checker& c) {
  c.non_negative("finetune.epochs", f.epochs);
  c.within("finetune.batch_size", f.batch_size, 1, 65536);
  c.positive("finetune.lr", f.lr);
  c.one_of("finetune.schedule", f.schedule, {"cosine", "constant"});
  c.positive("finetune.temperature", f.temperature);
  if (!(f.label_weight >= 0 && f.label_weight <= 1))
    c.fail("finetune.label_weight", toml_float(f.label_weight) + " is not in [0, 1]");
  c.at_least("finetune.train_images", f.train_images, 0);
  if (!(f.metric_floor >= 0 && f.metric_floor <= 1))
    c.fail("finetune.metric_floor", toml_float(f.metric_floor) + " is not in [0, 1] (a fraction, 0.9 = 90%)");
  c.positive("finetune.tolerance", f.tolerance);
}

}  // namespace

const std::vector<std::string>& alternative_kind_names() {
  static const std::vector<std::string> names = {"drop", "pretrained", "pruned", "low_rank"};
  return names;
}

void resolve_paths(OptimizerConfig& config, const std::string& base_dir) {
  const fs::path base = fs::absolute(base_dir.empty() ? fs::path(".") : fs::path(base_dir));
  config.teacher.model = absolute_path(config.teacher.model, base);
  config.teacher.charset = absolute_path(config.teacher.charset, base);
  for (std::string& p : config.house.pretrained) p = absolute_path(p, base);
  if (config.data.source != kFashionMnist) config.data.source = absolute_path(config.data.source, base);
  config.data.dir = absolute_path(config.data.dir, base);
  config.run.out = absolute_path(config.run.out, base);
}

void check_config(const OptimizerConfig& config, const ConfigLocations& where, FileChecks files) {
  const Checker c(where, files);
  check_teacher(config.teacher, c);
  check_data(config.data, c);
  check_house(config.house, c);
  check_distill(config.distill, c);
  check_run(config.run, c);
  check_profile(config.profile, c);
  check_search(config.search, c);
  check_finetune(config.finetune, c);
}

}  // namespace bespoke::config::detail
