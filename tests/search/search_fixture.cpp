#include "search_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "agent/measurement.h"
#include "blocks/unit_blocks.h"
#include "export/bspk_writer.h"
#include "house/house_builder.h"
#include "house/student.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::search::test {

namespace {

namespace fs = std::filesystem;

// The process's scratch folder, removed when the process ends.
struct TempRoot {
  std::string path;
  TempRoot() {
    const fs::path p = fs::temp_directory_path() / ("bespoke-search-test-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    path = p.string();
  }
  ~TempRoot() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

const std::string& temp_root() {
  static const TempRoot root;
  return root.path;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0.0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double block_ms(const agent::ModelMeasurement& m, uint32_t id) {
  for (const agent::ProfileTime& b : m.blocks)
    if (b.id == id) return median(b.median_ms);
  return -1.0;
}

}  // namespace

latency::LatencyTable measure_table(const ir::Graph& teacher_in, const house::HouseStore& store,
                                    const config::TargetConfig& target) {
  ir::Graph teacher = teacher_in;
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(teacher);
  std::vector<house::AlternativeRecord> done;
  for (const house::AlternativeRecord& a : store.alternatives())
    if (a.status == house::ItemStatus::kDone) done.push_back(a);
  agent::MeasureRequest request;
  request.models.push_back(exporter::write_bspk(teacher));
  for (const house::AlternativeRecord& a : done)
    request.models.push_back(exporter::write_bspk(house::stitch_student(teacher, analysis, store, {a.key})));
  request.settings.backend = target.backend;
  request.settings.threads = target.threads;
  request.warmup = 3;
  request.runs = 20;
  request.rounds = 3;
  request.profile_blocks = true;
  const agent::MeasureReply reply = agent::measure(request);

  latency::LatencyTable t;
  t.target = target.name;
  const agent::Device d = agent::describe_device();
  t.device = {d.cpu, d.cores, d.isa, d.runtime_version, target.backend, target.threads};
  const agent::ModelMeasurement& tm = reply.models.at(0);
  std::vector<double> rounds;
  for (const agent::Round& r : tm.rounds) rounds.push_back(r.median_ms);
  t.teacher_ms = median(rounds);
  t.teacher_arena_bytes = tm.arena_bytes;
  t.teacher_weights_bytes = tm.weights_bytes;
  const auto units = static_cast<uint32_t>(analysis.units.size());
  for (uint32_t u = 0; u < units; ++u) {
    t.unit_ms.push_back(block_ms(tm, u));
    t.unit_weights_bytes.push_back(static_cast<uint64_t>(analysis.units[u].params) * 4);
  }
  for (size_t i = 0; i < done.size(); ++i) {
    const agent::ModelMeasurement& m = reply.models.at(i + 1);
    latency::AlternativeLatency a;
    // A single replacement's block id is the host's unit count; the identity has none (0 ms).
    a.ms = done[i].file.empty() ? 0.0 : block_ms(m, units);
    a.probe_arena_bytes = m.arena_bytes;
    a.weights_bytes = static_cast<uint64_t>(done[i].params) * 4;
    t.alternatives[done[i].key] = a;
  }
  return t;
}

std::string fresh_out(const std::string& name) {
  const fs::path p = fs::path(temp_root()) / ("out-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

const SearchFixture& fixture() {
  static const SearchFixture f = [] {
    SearchFixture x;
    config::OptimizerConfig& c = x.config;
    c.teacher.model = BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx";
    c.data.train_images = 256;
    c.data.validation_images = 128;
    c.house.spans = 3;
    c.house.min_units = 1;
    c.house.max_units = 2;
    c.house.kinds = {"drop", "pruned", "low_rank"};
    c.house.prune_ratios = {0.5};
    c.house.low_rank_ratios = {0.25};
    c.distill.steps = 30;
    c.distill.batch_size = 32;
    c.run.seed = 3;
    c.run.threads = 2;
    c.run.log_seconds = 1e9;
    c.profile.warmup = 2;
    c.profile.runs = 15;
    c.profile.rounds = 3;
    c.search.iterations = 24;
    c.search.validation_images = 192;
    c.search.measure_best = 2;
    x.target.name = "local-1t";
    x.target.budget_ratio = 0.8;
    x.teacher = onnx_import::load_onnx_for_inference(c.teacher.model);

    house::BuildRequest request;
    request.config = c;
    request.teacher = x.teacher;
    request.house_dir = (fs::path(temp_root()) / "house").string();
    request.config.run.out = request.house_dir;
    std::ostringstream log;
    house::build_house(request, log);
    x.store = std::make_unique<house::HouseStore>(house::HouseStore::open(request.house_dir, false));
    x.table = measure_table(x.teacher, *x.store, x.target);
    return x;
  }();
  return f;
}

LocalLink::LocalLink() : device_(agent::describe_device()) {}
agent::MeasureReply LocalLink::measure(const agent::MeasureRequest& request) { return agent::measure(request); }
agent::RunReply LocalLink::run(const agent::RunRequest& request) { return agent::run_once(request); }

}  // namespace bespoke::search::test
