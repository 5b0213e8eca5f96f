// bespoke-opt eval: top-1 accuracy of a classifier (.onnx or .bspk) on a
// dataset split, through LibTorch (the GraphModule bridge) or through the
// inference runtime (C API, the numbers a device produces), or both, with
// their sample-by-sample agreement.
//
//   bespoke-opt eval model.onnx|model.bspk --data fashion-mnist [--split test|val|train]
//                    [--engine torch|runtime|both] [--backend auto|reference|xnnpack|onednn]
//
// Preprocessing follows the model: its input shape fixes size and channels;
// normalization comes from --mean/--std, else the model's preprocess.*
// metadata, else the dataset's. The validation split is the one training
// used: --val-count/--split-seed, else the model's train.* metadata, else the
// defaults.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/cli_support.h"
#include "cli/subcommand.h"
#include "data/data_error.h"
#include "data/dataset.h"
#include "export/bspk_writer.h"
#include "torch_bridge/graph_module.h"
#include "train/runtime_evaluation.h"
#include "train/torch_evaluation.h"

namespace bespoke::cli {

namespace {

struct EvalOptions {
  std::string model;
  std::string data = "fashion-mnist";
  std::string data_dir;
  std::string split = "test";
  std::string engine = "torch";
  std::string backend = "auto";
  int threads = 0;
  int64_t batch = 256;
  int64_t limit = 0;
  std::optional<int64_t> validation_count;
  std::optional<uint64_t> split_seed;
  std::vector<float> mean, std;
  bool json = false;
};

std::optional<std::string> metadata(const ir::Graph& g, const std::string& key) {
  for (const auto& [k, v] : g.metadata)
    if (k == key) return v;
  return std::nullopt;
}

std::vector<float> parse_floats(const std::string& text) {
  std::vector<float> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::stof(item));
  return values;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int hardware_threads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

int run(const EvalOptions& o) {
  if (o.engine != "torch" && o.engine != "runtime" && o.engine != "both") {
    throw UsageError("--engine must be torch, runtime or both, not '" + o.engine + "'");
  }
  data::Split split;
  try {
    split = data::parse_split(o.split);
  } catch (const data::DataError& e) {
    throw UsageError(e.what());
  }
  const LoadedModel loaded = load_model(o.model, {});
  const ir::Graph& graph = loaded.graph;
  if (graph.inputs.size() != 1 || graph.outputs.empty()) {
    throw std::runtime_error("'" + o.model + "' is not a classifier: it needs one image input and a logits output");
  }
  const ir::Shape input_shape = graph.shape_of(graph.inputs[0]);
  const data::ImageGeometry geometry = data::Preprocessor::geometry_of_input(input_shape);

  data::DatasetRequest request;
  request.name = o.data;
  request.fashion_mnist_dir = o.data_dir;
  request.folder_geometry = geometry;
  request.validation_count = o.validation_count;
  if (!request.validation_count) {
    if (auto v = metadata(graph, "train.validation_count")) request.validation_count = std::stoll(*v);
  }
  if (o.split_seed) {
    request.split_seed = *o.split_seed;
  } else if (auto v = metadata(graph, "train.split_seed")) {
    request.split_seed = std::stoull(*v);
  }
  const data::Dataset dataset = data::open_dataset(request);
  data::Normalization normalization = dataset.normalization;
  if (auto v = metadata(graph, "preprocess.mean")) normalization.mean = parse_floats(*v);
  if (auto v = metadata(graph, "preprocess.std")) normalization.std = parse_floats(*v);
  if (!o.mean.empty()) normalization.mean = o.mean;
  if (!o.std.empty()) normalization.std = o.std;

  const data::SplitView& view = dataset.split(split);
  std::vector<int64_t> indices = view.indices;
  if (o.limit > 0 && o.limit < static_cast<int64_t>(indices.size())) indices.resize(static_cast<size_t>(o.limit));
  data::LoaderOptions loader_options;
  loader_options.batch_size = o.batch;
  data::BatchLoader loader(
      view.set, indices,
      data::Preprocessor({view.set->channels, view.set->height, view.set->width}, geometry, normalization),
      loader_options);
  const int threads = o.threads > 0 ? o.threads : hardware_threads();
  const bool both = o.engine == "both";

  std::vector<std::pair<std::string, train::EvalResult>> results;
  if (o.engine == "torch" || both) {
    torchbridge::GraphModule::set_num_threads(threads);
    torchbridge::GraphModule module(graph);
    results.emplace_back("torch", train::evaluate_torch(module, loader, both));
  }
  if (o.engine == "runtime" || both) {
    const std::vector<uint8_t> bspk = loaded.format == "bspk" ? read_bytes(o.model) : exporter::write_bspk(graph);
    train::RuntimeEvalOptions runtime_options;
    runtime_options.backend = o.backend;
    runtime_options.threads = threads;
    results.emplace_back("runtime", train::evaluate_runtime(bspk, loader, runtime_options, both));
  }

  nlohmann::json report = {{"model", o.model},
                           {"format", loaded.format},
                           {"data", o.data},
                           {"split", data::split_name(split)},
                           {"samples", results.front().second.samples},
                           {"preprocessing", loader.preprocessor().describe()}};
  for (const auto& [engine, r] : results) {
    report[engine] = {{"accuracy", r.accuracy()}, {"correct", r.correct}, {"loss", r.mean_loss()}};
    if (engine == "runtime") report[engine]["backend"] = o.backend;
  }
  if (both) report["agreement"] = train::prediction_agreement(results[0].second, results[1].second);
  if (o.json) {
    std::cout << report.dump(2) << "\n";
    return kExitSuccess;
  }
  std::printf("%s (%s) on %s %s: %lld images; %s\n", o.model.c_str(), loaded.format.c_str(), o.data.c_str(),
              data::split_name(split), static_cast<long long>(results.front().second.samples),
              loader.preprocessor().describe().c_str());
  for (const auto& [engine, r] : results) {
    std::printf("  %-8s top-1 %.2f%% (%lld/%lld), loss %.4f%s\n", engine.c_str(), 100.0 * r.accuracy(),
                static_cast<long long>(r.correct), static_cast<long long>(r.samples), r.mean_loss(),
                engine == "runtime" ? (" [backend " + o.backend + "]").c_str() : "");
  }
  if (both) std::printf("  agreement of predictions: %.3f%%\n", 100.0 * report["agreement"].get<double>());
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<EvalOptions>();
  command.add_option("model", o->model, "model (.onnx or .bspk)")->required()->check(CLI::ExistingFile);
  command.add_option("--data", o->data, "fashion-mnist or an image-folder directory")->capture_default_str();
  command.add_option("--data-dir", o->data_dir, "Fashion-MNIST directory (default: Debian's)");
  command.add_option("--split", o->split, "test, val or train")->capture_default_str();
  command.add_option("--engine", o->engine, "torch, runtime or both")->capture_default_str();
  command.add_option("--backend", o->backend, "runtime backend: auto, reference, xnnpack, onednn")
      ->capture_default_str();
  command.add_option("--threads", o->threads, "threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  command.add_option("--batch", o->batch, "evaluation batch (LibTorch)")->check(CLI::PositiveNumber);
  command.add_option("--limit", o->limit, "evaluate the first N images of the split only")
      ->check(CLI::NonNegativeNumber);
  command.add_option("--val-count", o->validation_count, "validation images held out of training");
  command.add_option("--split-seed", o->split_seed, "seed of the train/validation split");
  command.add_option("--mean", o->mean, "normalization mean (one, or one per channel)")->delimiter(',');
  command.add_option("--std", o->std, "normalization std (one, or one per channel)")->delimiter(',');
  command.add_flag("--json", o->json, "one JSON object instead of text");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"eval", "top-1 accuracy of a classifier on a dataset split (LibTorch or runtime)", configure});

}  // namespace

}  // namespace bespoke::cli
