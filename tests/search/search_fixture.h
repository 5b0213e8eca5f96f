// The real material every search test uses, made once per test process:
//  * a tiny model house of the real demo teacher (models/fashion_resnet.onnx)
//    on real Fashion-MNIST images, built with house::build_house at tiny
//    settings (3 spans, drops, pruned and low-rank alternatives, 30
//    distillation steps);
//  * the latency table of this machine, measured for real through the
//    runtime's C API (agent::measure, the code bespoke-agent runs): the
//    teacher per unit with block profiling, and each alternative in context
//    (the teacher with it stitched in alone);
//  * LocalLink: a latency::DeviceLink over the same in-process measurement.
#pragma once

#include <memory>
#include <string>

#include "blocks/block_analysis.h"
#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"
#include "latency/device_link.h"
#include "latency/latency_table.h"

namespace bespoke::search::test {

struct SearchFixture {
  config::OptimizerConfig config;  // tiny [search] / [profile] settings; run.out is per test (fresh_out)
  config::TargetConfig target;     // "local-1t": local, auto backend, 1 thread
  ir::Graph teacher;               // as loaded (no unit blocks)
  std::unique_ptr<house::HouseStore> store;
  latency::LatencyTable table;
};

const SearchFixture& fixture();

// The latency table of `target` on this machine for `store`'s alternatives,
// measured as described above (`teacher` as loaded, without unit blocks).
latency::LatencyTable measure_table(const ir::Graph& teacher, const house::HouseStore& store,
                                    const config::TargetConfig& target);

// A new empty folder for one test's run.out.
std::string fresh_out(const std::string& name);

class LocalLink : public latency::DeviceLink {
 public:
  LocalLink();
  const agent::Device& device() const override { return device_; }
  agent::MeasureReply measure(const agent::MeasureRequest& request) override;
  agent::RunReply run(const agent::RunRequest& request) override;

 private:
  agent::Device device_;
};

}  // namespace bespoke::search::test
