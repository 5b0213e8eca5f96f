// What a student's result depends on, as named digests (issue #20, "reuse only
// what is still valid"): a finished student is reused only when every input
// is unchanged, and otherwise remade with the log naming what changed.
//
// Inputs of a target's student (search, fine-tuning, export, test score):
//  * "teacher", "data", "house", "distill", "search", "finetune": the
//    effective config tables that feed it ([run] only by its seed: threads,
//    out and log_seconds change where and how the work runs, not its result;
//    distill.feature_cache_mb likewise); "target": this target's own entry;
//  * "house content": every finished alternative (key, kind, cost, loss);
//  * "latency table": the target's profiled table (teacher and every
//    alternative in context);
//  * "data identity": the dataset as opened (its description: splits, sizes,
//    labels) and the task head's decision;
//  * "result format": this program's student result format.
// A digest is SHA-256 of a canonical text of the input, so equal inputs give
// equal digests on any machine.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "house/teacher_data.h"
#include "latency/latency_table.h"

namespace bespoke::pipeline {

using StepInputs = std::map<std::string, std::string>;  // input name -> SHA-256 (hex)

StepInputs student_inputs(const config::OptimizerConfig& config, const config::TargetConfig& target,
                          const house::HouseStore& store, const latency::LatencyTable& table,
                          const house::TeacherData& data);

// The names of the inputs that differ between `before` and `now` (an input
// present on one side only differs too), in name order.
std::vector<std::string> changed_inputs(const StepInputs& before, const StepInputs& now);

}  // namespace bespoke::pipeline
