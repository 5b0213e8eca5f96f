// Internal to optimizer/config: every setting of OptimizerConfig once, as
// (table, key, field), so that reading, writing, listing known keys and
// comparing configs can never disagree about which settings exist.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "toml_text/toml_values.h"

namespace bespoke::config::detail {

using toml_text::toml_float;
using toml_text::toml_string;

// The tables in file order.
inline const std::vector<std::string>& table_names() {
  static const std::vector<std::string> names = {"teacher", "data",    "house",  "distill",
                                                 "run",     "profile", "search", "finetune"};
  return names;
}

// Calls v(table, key, field) for every setting; Config is OptimizerConfig or
// const OptimizerConfig.
template <typename Config, typename Visitor>
void visit_fields(Config& c, Visitor&& v) {
  v("teacher", "model", c.teacher.model);
  v("teacher", "input_shape", c.teacher.input_shape);
  v("teacher", "mean", c.teacher.mean);
  v("teacher", "std", c.teacher.std);
  v("teacher", "channels", c.teacher.channels);
  v("teacher", "resize", c.teacher.resize);
  v("teacher", "channel_order", c.teacher.channel_order);
  v("teacher", "resize_mode", c.teacher.resize_mode);
  v("teacher", "task", c.teacher.task);
  v("teacher", "charset", c.teacher.charset);
  v("teacher", "blank", c.teacher.blank);
  v("teacher", "use_space_char", c.teacher.use_space_char);
  v("teacher", "db_threshold", c.teacher.db_threshold);
  v("teacher", "db_box_threshold", c.teacher.db_box_threshold);
  v("teacher", "db_unclip_ratio", c.teacher.db_unclip_ratio);
  v("data", "source", c.data.source);
  v("data", "dir", c.data.dir);
  v("data", "validation_count", c.data.validation_count);
  v("data", "split_seed", c.data.split_seed);
  v("data", "train_images", c.data.train_images);
  v("data", "validation_images", c.data.validation_images);
  v("data", "labels", c.data.labels);
  v("house", "pretrained", c.house.pretrained);
  v("house", "spans", c.house.spans);
  v("house", "min_units", c.house.min_units);
  v("house", "max_units", c.house.max_units);
  v("house", "kinds", c.house.kinds);
  v("house", "prune_ratios", c.house.prune_ratios);
  v("house", "low_rank_ratios", c.house.low_rank_ratios);
  v("house", "max_alternatives_per_span", c.house.max_alternatives_per_span);
  v("house", "max_pretrained_per_span", c.house.max_pretrained_per_span);
  v("house", "max_params_ratio", c.house.max_params_ratio);
  v("distill", "steps", c.distill.steps);
  v("distill", "batch_size", c.distill.batch_size);
  v("distill", "optimizer", c.distill.optimizer);
  v("distill", "lr", c.distill.lr);
  v("distill", "schedule", c.distill.schedule);
  v("distill", "warmup_steps", c.distill.warmup_steps);
  v("distill", "min_lr", c.distill.min_lr);
  v("distill", "weight_decay", c.distill.weight_decay);
  v("distill", "feature_cache_mb", c.distill.feature_cache_mb);
  v("run", "seed", c.run.seed);
  v("run", "threads", c.run.threads);
  v("run", "out", c.run.out);
  v("run", "log_seconds", c.run.log_seconds);
  v("profile", "warmup", c.profile.warmup);
  v("profile", "runs", c.profile.runs);
  v("profile", "rounds", c.profile.rounds);
  v("profile", "seed", c.profile.seed);
  v("search", "strategy", c.search.strategy);
  v("search", "iterations", c.search.iterations);
  v("search", "initial_temperature", c.search.initial_temperature);
  v("search", "final_temperature", c.search.final_temperature);
  v("search", "validation_images", c.search.validation_images);
  v("search", "measure_best", c.search.measure_best);
  v("finetune", "epochs", c.finetune.epochs);
  v("finetune", "batch_size", c.finetune.batch_size);
  v("finetune", "lr", c.finetune.lr);
  v("finetune", "schedule", c.finetune.schedule);
  v("finetune", "temperature", c.finetune.temperature);
  v("finetune", "label_weight", c.finetune.label_weight);
  v("finetune", "train_images", c.finetune.train_images);
  v("finetune", "metric_floor", c.finetune.metric_floor);
  v("finetune", "tolerance", c.finetune.tolerance);
}

// A field's value as the TOML literal to_toml writes.
inline std::string toml_value(const std::string& v) { return toml_string(v); }
inline std::string toml_value(double v) { return toml_float(v); }
inline std::string toml_value(int64_t v) { return std::to_string(v); }
inline std::string toml_value(uint64_t v) { return std::to_string(v); }
inline std::string toml_value(int v) { return std::to_string(v); }
inline std::string toml_value(bool v) { return v ? "true" : "false"; }
inline std::string toml_value(CountOrAuto v) { return v.is_auto() ? toml_string("auto") : std::to_string(v.count); }
template <typename T>
std::string toml_value(const std::vector<T>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + toml_value(values[i]);
  return text + "]";
}

}  // namespace bespoke::config::detail
