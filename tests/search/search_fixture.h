// The real material every search test uses, made once per test process:
//  * a tiny model house of the real demo teacher (models/fashion_resnet.onnx)
//    on real Fashion-MNIST images, built with house::build_house at tiny
//    settings (3 spans, drops, pruned and low-rank alternatives, 30
//    distillation steps);
//  * the latency table of this machine for the "local" target, profiled
//    into the house by latency::profile_target (what `bespoke-opt profile`
//    does) through latency::connect's in-process link.
#pragma once

#include <memory>
#include <string>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"
#include "latency/latency_table.h"

namespace bespoke::test {

struct SearchFixture {
  config::OptimizerConfig config;  // tiny settings, targets = {target}; run.out: the house (tests use fresh_out)
  config::TargetConfig target;     // "local-1t": local, auto backend, 1 thread
  ir::Graph teacher;               // as loaded (no unit blocks)
  std::unique_ptr<house::HouseStore> store;
  latency::LatencyTable table;
};

const SearchFixture& fixture();

// A new empty folder for one test's run.out.
std::string fresh_out(const std::string& name);

}  // namespace bespoke::test
