#include "search_fixture.h"

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "house/house_builder.h"
#include "latency/profiler.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::test {

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

}  // namespace

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
    c.targets = {x.target};
    x.teacher = onnx_import::load_onnx_for_inference(c.teacher.model);

    c.run.out = (fs::path(temp_root()) / "house").string();
    house::BuildRequest request;
    request.config = c;
    request.teacher = x.teacher;
    request.house_dir = c.run.out;
    std::ostringstream log;
    house::build_house(request, log);
    x.store = std::make_unique<house::HouseStore>(house::HouseStore::open(request.house_dir, false));
    std::unique_ptr<latency::DeviceLink> link = latency::connect(x.target);
    x.table = latency::profile_target(*x.store, c.profile, x.target, x.teacher, *link, {}, log).table;
    return x;
  }();
  return f;
}

}  // namespace bespoke::test
