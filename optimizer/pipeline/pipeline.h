// `bespoke-opt run`: the whole method from one config (ARCHITECTURE.md
// section 1), resumable at the step it reached:
//
//  1. house      build it, or continue it, or reuse it (house/house_builder.h:
//                finished alternatives are never redone);
//  2. teacher    its test accuracy through the runtime (pipeline/teacher.json);
//  3. profile    every target's latency table in the house (latency/: a
//                target already profiled from this device is reused);
//  4. search     per target (search/: `<out>/search/<target>.json` is reused);
//  5. student    per target: the winner stitched, fine-tuned by knowledge
//                distillation (finetune.h), written as .bspk (every block with
//                its provenance) and ONNX into `<out>/students/<target>/`,
//                evaluated on the test split through the runtime on the
//                target's backend and accepted on the device
//                (device_acceptance.h); `result.json` there marks it done;
//  6. report     report.json, report.md, pareto.png (pipeline_report.h).
//
// A step's output is written atomically when the step ends, so a run killed
// at any moment resumes at the first unfinished step (and inside the house
// and the profile, at the first unfinished item). An "offline" target that is
// not profiled yet stops the run after the bundle is exported, saying which
// commands measure and import it; the next run continues from there. Its
// student is accepted through an acceptance bundle (offline_acceptance.h):
// pending, the bundle written and the command said, until the device's
// report.json is in `<out>/students/<target>/acceptance/`; the next run
// reuses the student and accepts it from that report.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "house/pretrained_spans.h"
#include "ir/graph.h"
#include "pipeline/pipeline_report.h"

namespace bespoke::pipeline {

struct PipelineRequest {
  config::OptimizerConfig config;  // effective: file + command-line overrides; run.out is the output folder
  ir::Graph teacher;               // canonical, single input and output
  std::vector<house::PretrainedSource> sources;
  std::vector<std::string> only_targets;  // empty = every [[targets]] entry
  bool force = false;                     // accept a house or a profile from another config / device
};

// Throws (house::HouseError, latency::LatencyError, data::DataError,
// std::runtime_error) with one line naming what failed; finished steps stay.
PipelineReport run_pipeline(const PipelineRequest& request, std::ostream& log);

}  // namespace bespoke::pipeline
