#include "train/trainer.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "arch/architecture.h"
#include "ir/cost.h"
#include "random/seeded_random.h"
#include "train/batch_tensors.h"
#include "train/lr_schedule.h"
#include "train/progress.h"
#include "train/sgd.h"
#include "train/torch_evaluation.h"

namespace bespoke::train {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string percent(double fraction) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * fraction);
  return buf;
}

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::vector<int64_t> limited(std::vector<int64_t> indices, int64_t limit) {
  if (limit > 0 && limit < static_cast<int64_t>(indices.size())) indices.resize(static_cast<size_t>(limit));
  return indices;
}

data::DatasetRequest dataset_request(const TrainConfig& c, const std::vector<int64_t>& input_shape) {
  data::DatasetRequest r;
  r.name = c.data;
  r.fashion_mnist_dir = c.data_dir;
  r.validation_count = c.validation_count;
  r.split_seed = c.split_seed;
  r.folder_geometry = data::Preprocessor::geometry_of_input(input_shape);
  return r;
}

// Lines "key = a" of two configs that differ, for the resume error.
std::string config_differences(const TrainConfig& saved, const TrainConfig& now) {
  std::istringstream a(to_toml(saved)), b(to_toml(now));
  std::string la, lb, out;
  while (std::getline(a, la) && std::getline(b, lb)) {
    if (la != lb && la.find("threads") == std::string::npos && la.find("log_seconds") == std::string::npos) {
      out += " '" + la + "' (checkpoint) vs '" + lb + "' (now);";
    }
  }
  return out;
}

}  // namespace

std::vector<int64_t> training_input_shape(const TrainConfig& config) {
  if (!config.input_shape.empty()) return config.input_shape;
  if (config.data == "fashion-mnist") return {1, 1, 28, 28};
  return {1, 3, 224, 224};
}

Trainer::Trainer(const TrainConfig& config, const std::string& checkpoint_dir, std::ostream& log)
    : config_(config), log_(log), store_(checkpoint_dir) {
  config_.check();
  const int threads =
      config_.threads > 0 ? config_.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torchbridge::GraphModule::set_num_threads(threads);
  input_shape_ = training_input_shape(config_);
  dataset_ = data::open_dataset(dataset_request(config_, input_shape_));
  normalization_ = dataset_.normalization;

  arch::ArchitectureOptions arch_options;
  arch_options.input_shape = input_shape_;
  arch_options.num_classes = static_cast<int64_t>(dataset_.class_names.size());
  arch_options.seed = random::derive_seed(config_.seed, 0x3e1);
  const ir::Graph graph = arch::make_architecture(config_.arch, arch_options);
  module_ = std::make_unique<torchbridge::GraphModule>(graph);
  sgd_ = std::make_unique<Sgd>(module_->named_parameters(),
                               SgdOptions{config_.momentum, config_.nesterov, config_.weight_decay});

  const data::ImageGeometry target = data::Preprocessor::geometry_of_input(input_shape_);
  const data::SplitView& train = dataset_.split(data::Split::kTrain);
  data::LoaderOptions train_options;
  train_options.batch_size = config_.batch_size;
  train_options.shuffle = true;
  train_options.drop_last = true;
  train_options.augmentation = {config_.crop_padding, config_.horizontal_flip};
  train_options.seed = random::derive_seed(config_.seed, 0xda7a);
  train_loader_ = std::make_unique<data::BatchLoader>(
      train.set, limited(train.indices, config_.limit_train),
      data::Preprocessor({train.set->channels, train.set->height, train.set->width}, target, normalization_),
      train_options);
  if (train_loader_->batches_per_epoch() < 1) {
    throw std::invalid_argument("training config: batch_size " + std::to_string(config_.batch_size) + " exceeds the " +
                                std::to_string(train_loader_->samples()) + " training images");
  }
  val_loader_ = std::make_unique<data::BatchLoader>(make_eval_loader(data::Split::kValidation));

  const ir::GraphSummary summary = ir::summarize(module_->graph());
  int64_t trainable = 0;
  for (const at::Tensor& p : module_->parameters()) trainable += p.numel();
  log_ << "data: " << dataset_.describe() << "; training on " << train_loader_->samples() << ", validating on "
       << val_loader_->samples() << "\n"
       << "preprocessing: " << train_loader_->preprocessor().describe() << "; augmentation: crop padding "
       << config_.crop_padding << ", flip " << (config_.horizontal_flip ? "yes" : "no") << "\n"
       << "model: " << config_.arch << ", input " << ir::shape_string(input_shape_) << ", " << trainable
       << " trainable parameters, " << fixed(static_cast<double>(summary.flops) / 1e6, 1)
       << " MFLOPs per image (before BatchNorm folding)\n"
       << "threads: " << threads << ", seed " << config_.seed << ", checkpoints in " << store_.dir() << std::endl;
}

Trainer::~Trainer() = default;

data::BatchLoader Trainer::make_eval_loader(data::Split split, int64_t batch_size) const {
  const data::SplitView& view = dataset_.split(split);
  const int64_t limit = split == data::Split::kValidation ? config_.limit_validation : 0;
  data::LoaderOptions options;
  options.batch_size = batch_size;
  return data::BatchLoader(view.set, limited(view.indices, limit),
                           data::Preprocessor({view.set->channels, view.set->height, view.set->width},
                                              data::Preprocessor::geometry_of_input(input_shape_), normalization_),
                           options);
}

void Trainer::restore(int64_t epoch) {
  module_->load(store_.model_path(epoch));
  sgd_->load(store_.optimizer_path(epoch));
}

const CheckpointState& Trainer::run(bool resume, int64_t stop_after_epoch) {
  if (resume && store_.has_state()) {
    const TrainConfig saved = load_train_config(store_.config_path());
    if (!saved.same_run(config_)) {
      throw std::runtime_error("cannot resume from '" + store_.dir() +
                               "': it was made with another configuration:" + config_differences(saved, config_));
    }
    state_ = store_.load_state();
    restore(state_.epochs_done);
    log_ << "resuming after epoch " << state_.epochs_done << " (step " << state_.steps_done << ") from " << store_.dir()
         << std::endl;
  } else {
    if (store_.has_state()) {
      throw std::runtime_error("checkpoint directory '" + store_.dir() +
                               "' already holds a run; use --resume to continue it, or another --checkpoint-dir");
    }
    if (resume) log_ << "nothing to resume in " << store_.dir() << "; starting from scratch" << std::endl;
    state_ = CheckpointState{};
    state_.seed = config_.seed;
    save_train_config(config_, store_.config_path());
  }
  const int64_t last = stop_after_epoch > 0 ? std::min(stop_after_epoch, config_.epochs) : config_.epochs;
  for (int64_t epoch = state_.epochs_done; epoch < last; ++epoch) {
    const EpochRecord record = train_epoch(epoch);
    module_->save(store_.model_path(epoch + 1));
    sgd_->save(store_.optimizer_path(epoch + 1));
    state_.epochs_done = epoch + 1;
    state_.history.push_back(record);
    store_.commit(state_);
  }
  return state_;
}

EpochRecord Trainer::train_epoch(int64_t epoch) {
  const int64_t steps_per_epoch = train_loader_->batches_per_epoch();
  const int64_t total_steps = steps_per_epoch * config_.epochs;
  const CosineSchedule schedule(
      config_.lr, config_.min_lr,
      static_cast<int64_t>(std::llround(config_.warmup_epochs * static_cast<double>(steps_per_epoch))), total_steps);
  const auto start = Clock::now();
  auto last_log = start;
  EpochRecord record;
  record.epoch = epoch + 1;
  double loss_sum = 0.0;
  int64_t correct = 0, seen = 0, step_in_epoch = 0;

  module_->train();
  train_loader_->start_epoch(epoch);
  while (const data::Batch* batch = train_loader_->next()) {
    const int64_t step = state_.steps_done;
    const double lr = schedule.at(step);
    const BatchTensors t = batch_tensors(*batch, train_loader_->preprocessor().target());
    const at::Tensor logits = module_->forward({t.images})[0];
    const at::Tensor loss =
        at::cross_entropy_loss(logits, t.labels, {}, at::Reduction::Mean, -100, config_.label_smoothing);
    sgd_->zero_grad();
    loss.backward();
    sgd_->step(lr);

    const double batch_loss = loss.item<double>();
    if (!std::isfinite(batch_loss)) {
      throw std::runtime_error("training diverged at epoch " + std::to_string(epoch + 1) + " step " +
                               std::to_string(step_in_epoch) + " (loss " + std::to_string(batch_loss) +
                               "); lower the learning rate");
    }
    if (step_in_epoch == 0) record.first_step_loss = batch_loss;
    loss_sum += batch_loss * static_cast<double>(batch->size);
    correct += logits.argmax(1).eq(t.labels).sum().item<int64_t>();
    seen += batch->size;
    record.last_lr = lr;
    ++state_.steps_done;
    ++step_in_epoch;

    if (std::chrono::duration<double>(Clock::now() - last_log).count() >= config_.log_seconds) {
      last_log = Clock::now();
      const double elapsed = seconds_since(start);
      const double per_step = elapsed / static_cast<double>(step_in_epoch);
      const int64_t left_in_epoch = steps_per_epoch - step_in_epoch;
      const int64_t left_total = total_steps - state_.steps_done;
      log_ << "epoch " << epoch + 1 << "/" << config_.epochs << "  step " << step_in_epoch << "/" << steps_per_epoch
           << "  loss " << fixed(loss_sum / static_cast<double>(seen), 4) << "  acc "
           << percent(static_cast<double>(correct) / static_cast<double>(seen)) << "  lr " << fixed(lr, 5) << "  "
           << fixed(static_cast<double>(seen) / elapsed, 0) << " img/s  ETA epoch "
           << format_duration(per_step * static_cast<double>(left_in_epoch)) << ", run "
           << format_duration(per_step * static_cast<double>(left_total)) << std::endl;
    }
  }
  const double train_seconds = seconds_since(start);
  const EvalResult val = evaluate_torch(*module_, *val_loader_);
  record.train_loss = loss_sum / static_cast<double>(seen);
  record.train_accuracy = static_cast<double>(correct) / static_cast<double>(seen);
  record.val_loss = val.mean_loss();
  record.val_accuracy = val.accuracy();
  record.seconds = seconds_since(start);
  record.images_per_second = static_cast<double>(seen) / train_seconds;
  log_ << "epoch " << epoch + 1 << "/" << config_.epochs << " done: train loss " << fixed(record.train_loss, 4)
       << " acc " << percent(record.train_accuracy) << ", val loss " << fixed(record.val_loss, 4) << " acc "
       << percent(record.val_accuracy) << ", " << format_duration(record.seconds) << " ("
       << fixed(record.images_per_second, 0) << " img/s)" << std::endl;
  return record;
}

ir::Graph Trainer::export_graph() const {
  ir::Graph g = module_->to_graph();
  auto text = [](double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return std::string(buf);
  };
  auto join = [&](const std::vector<float>& values) {
    std::string s;
    for (size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + text(values[i]);
    return s;
  };
  std::string classes;
  for (size_t i = 0; i < dataset_.class_names.size(); ++i) classes += (i ? ";" : "") + dataset_.class_names[i];
  g.metadata.emplace_back("train.arch", config_.arch);
  g.metadata.emplace_back("train.dataset", config_.data);
  g.metadata.emplace_back("train.seed", std::to_string(config_.seed));
  g.metadata.emplace_back("train.epochs", std::to_string(state_.epochs_done));
  g.metadata.emplace_back("train.split_seed", std::to_string(config_.split_seed));
  g.metadata.emplace_back("train.validation_count", std::to_string(config_.validation_count));
  if (!state_.history.empty()) g.metadata.emplace_back("train.val_accuracy", text(state_.history.back().val_accuracy));
  g.metadata.emplace_back("preprocess.mean", join(normalization_.mean));
  g.metadata.emplace_back("preprocess.std", join(normalization_.std));
  g.metadata.emplace_back("classes", classes);
  return g;
}

}  // namespace bespoke::train
