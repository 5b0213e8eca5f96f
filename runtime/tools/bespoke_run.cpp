// bespoke-run: runs a .bspk model once on given or random inputs and prints
// each output's shape, a summary and its top-5 entries; optionally writes the
// outputs to .npy / .pb files.
//
//   bespoke-run model.bspk --input x.npy [--output y.pb] [--backend xnnpack] [--threads 2]
//   bespoke-run model.bspk --random --seed 3
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "common/tool_main.h"
#include "common/tool_support.h"
#include "tensor_io/tensor_file.h"

namespace bt = bespoke::tools;

namespace {

constexpr const char* kTool = "bespoke-run";

struct Args {
  std::string model;
  std::vector<std::string> inputs, outputs;
  std::string backend = "auto";
  int threads = 1;
  bool random = false;
  uint32_t seed = 0;
};

// Reads input files (or makes random inputs) matching the model's inputs.
int load_inputs(const Args& args, const bespoke::Model& model, std::vector<bt::HostTensor>* tensors) {
  const size_t count = model.input_count();
  if (!args.random && args.inputs.size() != count) {
    return bt::report_error(kTool,
                            "the model has " + std::to_string(count) + " input(s); give one --input per input (" +
                                std::to_string(args.inputs.size()) + " given) or --random",
                            bt::kExitUsage);
  }
  for (size_t i = 0; i < count; ++i) {
    const bespoke::TensorInfo info = model.input(i);
    bt::HostTensor t;
    if (args.random) {
      t = bt::random_input(info, args.seed + static_cast<uint32_t>(i));
    } else {
      const bespoke::rt::Status s = bt::read_tensor_file(args.inputs[i], &t);
      if (!s.ok()) return bt::report_error(kTool, s.message(), bt::kExitTensorFile);
      if (t.data.size() != info.element_count()) {
        return bt::report_error(kTool,
                                "'" + args.inputs[i] + "' has shape " + bt::dims_string(t.dims) + " but input " +
                                    std::to_string(i) + " '" + info.name + "' has shape " + bt::dims_string(info.dims),
                                bt::kExitTensorFile);
      }
    }
    tensors->push_back(std::move(t));
  }
  return 0;
}

void print_output(size_t index, const bespoke::TensorInfo& info, const std::vector<float>& values) {
  const bt::Summary s = bt::summarize(values);
  std::printf("output %zu '%s' %s float32\n", index, info.name.c_str(), bt::dims_string(info.dims).c_str());
  std::printf("  min %.6g  max %.6g  mean %.6g", static_cast<double>(s.min), static_cast<double>(s.max), s.mean);
  if (s.non_finite > 0) std::printf("  non-finite %zu", s.non_finite);
  std::printf("\n  top-5:");
  for (size_t i : bt::top_k(values, 5)) std::printf(" %zu (%.6g)", i, static_cast<double>(values[i]));
  std::printf("\n");
}

int run(const Args& args) {
  bespoke::Model model = bespoke::Model::load_file(args.model);
  std::vector<bt::HostTensor> inputs;
  if (const int code = load_inputs(args, model, &inputs); code != 0) return code;
  if (args.outputs.size() > model.output_count()) {
    return bt::report_error(kTool,
                            std::to_string(args.outputs.size()) + " --output files for " +
                                std::to_string(model.output_count()) + " model output(s)",
                            bt::kExitUsage);
  }
  bespoke::Session session(model,
                           bespoke::SessionOptions().backend(bt::parse_backend(args.backend)).threads(args.threads));
  for (size_t i = 0; i < inputs.size(); ++i) session.set_input(i, inputs[i].data);
  session.run();
  std::printf("model %s  backend %s  threads %d\n", args.model.c_str(),
              bt::describe_backends(args.backend, session.backend_usage()).c_str(), args.threads);
  for (size_t i = 0; i < model.output_count(); ++i) {
    const bespoke::TensorInfo info = model.output(i);
    bt::HostTensor out{info.name, info.dims, session.output(i)};
    print_output(i, info, out.data);
    if (i < args.outputs.size()) {
      const bespoke::rt::Status s = bt::write_tensor_file(args.outputs[i], out);
      if (!s.ok()) return bt::report_error(kTool, s.message(), bt::kExitTensorFile);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Runs a .bspk model once and prints its outputs (shape, summary, top-5).\n"
      "Exit codes: 0 ok, 2 bad arguments, 3 tensor file error, 10 + bsp_status for runtime errors."};
  Args args;
  app.add_option("model", args.model, "the .bspk model")->required();
  app.add_option("-i,--input", args.inputs, "input tensor (.npy or .pb), one per model input, in order");
  app.add_option("-o,--output", args.outputs, "write output i to the i-th file (.npy or .pb)");
  app.add_option("-b,--backend", args.backend, "auto, reference, xnnpack or onednn")
      ->check(CLI::IsMember(bt::backend_names()));
  app.add_option("-t,--threads", args.threads, "threads (0 = all cores)")->check(CLI::Range(0, 1024));
  app.add_flag("--random", args.random, "use seeded random inputs in [-1, 1)");
  app.add_option("--seed", args.seed, "seed for --random");
  return bt::run_tool(kTool, app, argc, argv, [&] { return run(args); });
}
