#include "train/runtime_evaluation.h"

#include <bespoke/bespoke.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>

namespace bespoke::train {

namespace {

void check(bsp_status status, const std::string& what) {
  if (status != BSP_OK) {
    throw std::runtime_error("runtime: " + what + ": " + bsp_status_string(status) + ": " + bsp_last_error_message());
  }
}

struct ModelDeleter {
  void operator()(bsp_model* m) const { bsp_model_destroy(m); }
};
struct SessionDeleter {
  void operator()(bsp_session* s) const { bsp_session_destroy(s); }
};
using ModelPtr = std::unique_ptr<bsp_model, ModelDeleter>;
using SessionPtr = std::unique_ptr<bsp_session, SessionDeleter>;

ModelPtr load(const std::vector<uint8_t>& bspk) {
  bsp_model* model = nullptr;
  check(bsp_model_load_memory(bspk.data(), bspk.size(), /*copy=*/1, &model), "cannot load the model");
  return ModelPtr(model);
}

bsp_backend parse_backend(const std::string& name) {
  if (name == "auto") return BSP_BACKEND_AUTO;
  if (name == "reference") return BSP_BACKEND_REFERENCE;
  if (name == "xnnpack") return BSP_BACKEND_XNNPACK;
  if (name == "onednn") return BSP_BACKEND_ONEDNN;
  throw std::invalid_argument("unknown backend '" + name + "' (auto, reference, xnnpack, onednn)");
}

std::vector<int64_t> dims_of(const bsp_tensor_info& info) { return {info.dims, info.dims + info.rank}; }

}  // namespace

std::vector<int64_t> runtime_input_shape(const std::vector<uint8_t>& bspk) {
  ModelPtr model = load(bspk);
  if (bsp_model_input_count(model.get()) != 1) throw std::runtime_error("runtime: a classifier has exactly one input");
  bsp_tensor_info info;
  info.struct_size = sizeof(info);
  check(bsp_model_input_info(model.get(), 0, &info), "input info");
  return dims_of(info);
}

void run_runtime(const std::vector<uint8_t>& bspk, data::BatchLoader& loader, const RuntimeEvalOptions& options,
                 const std::function<void(const RuntimeOutputs&)>& on_outputs) {
  ModelPtr model = load(bspk);
  if (bsp_model_input_count(model.get()) != 1 || bsp_model_output_count(model.get()) < 1) {
    throw std::runtime_error("runtime: the model must have one input and at least one output");
  }
  bsp_tensor_info in, out;
  in.struct_size = sizeof(in);
  out.struct_size = sizeof(out);
  check(bsp_model_input_info(model.get(), 0, &in), "input info");
  check(bsp_model_output_info(model.get(), 0, &out), "output info");
  const data::ImageGeometry& g = loader.preprocessor().target();
  if (in.type != BSP_FLOAT32 || in.rank != 4 || in.dims[1] != g.channels || in.dims[2] != g.height ||
      in.dims[3] != g.width) {
    throw std::runtime_error("runtime: the model input is not a float [N, " + g.str() + "] image batch");
  }
  if (out.type != BSP_FLOAT32 || out.rank < 2 || out.dims[0] != in.dims[0]) {
    throw std::runtime_error("runtime: the model output is not a float tensor with the input's batch");
  }
  const int64_t group = in.dims[0];
  RuntimeOutputs view;
  view.dims = dims_of(out);
  view.sample_elements = 1;
  for (int32_t d = 1; d < static_cast<int32_t>(out.rank); ++d) view.sample_elements *= out.dims[d];

  bsp_session_options session_options;
  bsp_session_options_init(&session_options);
  session_options.backend = parse_backend(options.backend);
  session_options.num_threads = options.threads;
  bsp_session* raw_session = nullptr;
  check(bsp_session_create(model.get(), &session_options, &raw_session), "cannot create a session");
  SessionPtr session(raw_session);

  const int64_t image_elements = g.elements();
  std::vector<float> input(static_cast<size_t>(group * image_elements), 0.0f);
  std::vector<float> outputs(static_cast<size_t>(group * view.sample_elements));
  int64_t sample = 0;
  loader.start_epoch(0);
  while (const data::Batch* batch = loader.next()) {
    for (int64_t first = 0; first < batch->size; first += group) {
      const int64_t count = std::min(group, batch->size - first);
      std::fill(input.begin(), input.end(), 0.0f);
      std::memcpy(input.data(), batch->images.data() + first * image_elements,
                  static_cast<size_t>(count * image_elements) * sizeof(float));
      check(bsp_session_set_input(session.get(), 0, input.data(), input.size() * sizeof(float)), "set input");
      check(bsp_session_run(session.get()), "run");
      check(bsp_session_copy_output(session.get(), 0, outputs.data(), outputs.size() * sizeof(float)), "output");
      view.values = outputs.data();
      view.count = count;
      view.first_sample = sample;
      view.batch = batch;
      view.batch_offset = first;
      on_outputs(view);
      sample += count;
    }
  }
}

EvalResult evaluate_runtime(const std::vector<uint8_t>& bspk, data::BatchLoader& loader,
                            const RuntimeEvalOptions& options, bool keep_predictions) {
  EvalResult result;
  run_runtime(bspk, loader, options, [&](const RuntimeOutputs& o) {
    if (o.dims.size() != 2) throw std::runtime_error("runtime: the model output is not float [N, classes] logits");
    const int64_t classes = o.dims[1];
    for (int64_t i = 0; i < o.count; ++i) {
      const int64_t label = o.batch->labels[static_cast<size_t>(o.batch_offset + i)];
      if (label >= classes || label < 0) {
        throw std::runtime_error("runtime evaluation: label " + std::to_string(label) + " but the model has " +
                                 std::to_string(classes) + " outputs");
      }
      int32_t predicted = 0;
      result.loss_sum += cross_entropy(o.values + i * classes, classes, label, &predicted);
      result.correct += predicted == label;
      if (keep_predictions) {
        result.predictions.push_back(predicted);
        result.labels.push_back(static_cast<int32_t>(label));
      }
    }
    result.samples += o.count;
  });
  return result;
}

}  // namespace bespoke::train
