// Latency/memory benchmark of one TorchScript model with LibTorch (CPU), the
// second peer bespoke is compared with. Prints one JSON object on stdout.
//
//   libtorch_bench model.pt [--threads 1] [--warmup 5] [--runs 30] [--shape 1,3,224,224] [--no-optimize]
//
// The model (a traced TorchScript file) is frozen and passed through
// torch::jit::optimize_for_inference after loading -- PyTorch's documented
// CPU deployment path (conv-bn folding, oneDNN/MKLDNN convolutions); its
// output cannot be saved to a file, so it happens here and counts in load_ms.
// --no-optimize measures the plain TorchScript interpreter instead.
//
// Memory: peak RSS minus the RSS before the model is loaded (LibTorch itself
// is already mapped then), comparable with bespoke's and ONNX Runtime's numbers.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/script.h>
#include <torch/version.h>

namespace {

struct Options {
  std::string model;
  int threads = 1;
  int warmup = 5;
  int runs = 30;
  std::vector<int64_t> shape{1, 3, 224, 224};
  bool optimize = true;
};

int positive(const std::string& key, const std::string& value) {
  const int v = std::stoi(value);
  if (v <= 0) throw std::invalid_argument(key + " must be positive");
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (key == "--no-optimize") {
      o.optimize = false;
      continue;
    }
    if (key.rfind("--", 0) != 0) {
      o.model = key;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(key + " needs a value");
    const std::string value = argv[++i];
    if (key == "--threads")
      o.threads = positive(key, value);
    else if (key == "--warmup")
      o.warmup = std::stoi(value);
    else if (key == "--runs")
      o.runs = positive(key, value);
    else if (key == "--shape") {
      o.shape.clear();
      size_t start = 0;
      while (start <= value.size()) {
        const size_t comma = value.find(',', start);
        o.shape.push_back(positive(key, value.substr(start, comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else {
      throw std::invalid_argument("unknown option " + key);
    }
  }
  if (o.model.empty())
    throw std::invalid_argument(
        "usage: libtorch_bench model.pt [--threads n] [--warmup n] [--runs n] [--shape a,b,c,d] [--no-optimize]");
  return o;
}

double current_rss_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

double percentile(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    // Both before any parallel work: LibTorch starts with one intra-op thread here.
    at::set_num_interop_threads(1);
    at::set_num_threads(o.threads);
    const double baseline_rss = current_rss_mb();

    const auto load_start = std::chrono::steady_clock::now();
    torch::jit::Module module = torch::jit::load(o.model);
    module.eval();
    if (o.optimize) module = torch::jit::optimize_for_inference(module);
    const double load_ms = ms_since(load_start);

    c10::InferenceMode inference;
    torch::manual_seed(12345);
    std::vector<torch::jit::IValue> inputs{torch::rand(o.shape) * 2 - 1};
    for (int i = 0; i < o.warmup; ++i) module.forward(inputs);
    std::vector<double> times;
    for (int i = 0; i < o.runs; ++i) {
      const auto start = std::chrono::steady_clock::now();
      module.forward(inputs);
      times.push_back(ms_since(start));
    }
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    const double peak = peak_rss_mb();

    std::printf(
        "{\"engine\": \"libtorch\", \"version\": \"%s\", \"model\": \"%s\", \"threads\": %d, "
        "\"intra_op_threads\": %d, \"optimize_for_inference\": %s, \"warmup\": %d, \"runs\": %d, \"median_ms\": %.6f, "
        "\"p90_ms\": %.6f, "
        "\"min_ms\": %.6f, \"load_ms\": %.3f, \"peak_rss_mb\": %.3f, \"baseline_rss_mb\": %.3f, "
        "\"model_rss_mb\": %.3f, \"times_ms\": [",
        TORCH_VERSION, o.model.c_str(), o.threads, at::get_num_threads(), o.optimize ? "true" : "false", o.warmup,
        o.runs, percentile(sorted, 50), percentile(sorted, 90), sorted.front(), load_ms, peak, baseline_rss,
        peak - baseline_rss);
    for (size_t i = 0; i < times.size(); ++i) std::printf("%s%.6f", i ? ", " : "", times[i]);
    std::printf("]}\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "libtorch_bench: %s\n", e.what());
    return 1;
  }
}
