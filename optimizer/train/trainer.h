// Supervised training of an image classifier (a built-in architecture,
// arch/architecture.h) on a dataset (data/dataset.h) through the LibTorch
// bridge: SGD with momentum and weight decay, warmup + cosine learning rate,
// pad-and-crop / flip augmentation, progress lines (loss, accuracy,
// throughput, ETA), validation after every epoch and a checkpoint after
// every epoch (checkpoint_store.h) from which run(resume = true) continues
// exactly: data order and augmentation are functions of (seed, epoch,
// position), so nothing but the model and optimizer state needs restoring.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "data/batch_loader.h"
#include "data/dataset.h"
#include "ir/graph.h"
#include "torch_bridge/graph_module.h"
#include "train/checkpoint_store.h"
#include "train/train_config.h"

namespace bespoke::train {

class Sgd;

class Trainer {
 public:
  // Loads the dataset and builds the initial model; checks the config.
  Trainer(const TrainConfig& config, const std::string& checkpoint_dir, std::ostream& log);
  ~Trainer();

  // Trains up to config.epochs (or to `stop_after_epoch` epochs in total,
  // when positive: an interruption on purpose, for tests). With `resume`,
  // continues from the checkpoint directory (its config must describe the
  // same run); without, refuses a directory that already holds a run.
  const CheckpointState& run(bool resume, int64_t stop_after_epoch = 0);

  const CheckpointState& state() const { return state_; }
  torchbridge::GraphModule& module() { return *module_; }
  const data::Dataset& dataset() const { return dataset_; }
  const TrainConfig& config() const { return config_; }
  const std::vector<int64_t>& input_shape() const { return input_shape_; }
  // A validation loader (no augmentation) over `split`, preprocessing like training.
  data::BatchLoader make_eval_loader(data::Split split, int64_t batch_size = 256) const;

  // The trained model as a canonical graph, BatchNormalization folded, with
  // metadata describing its training and preprocessing (train.*, preprocess.*).
  ir::Graph export_graph() const;

 private:
  void restore(int64_t epoch);
  EpochRecord train_epoch(int64_t epoch);

  TrainConfig config_;
  std::ostream& log_;
  data::Dataset dataset_;
  std::vector<int64_t> input_shape_;
  data::Normalization normalization_;
  std::unique_ptr<torchbridge::GraphModule> module_;
  std::unique_ptr<Sgd> sgd_;
  std::unique_ptr<data::BatchLoader> train_loader_;
  std::unique_ptr<data::BatchLoader> val_loader_;
  CheckpointStore store_;
  CheckpointState state_;
};

// The input shape a config trains at: config.input_shape, else the dataset's
// default ([1, 1, 28, 28] for Fashion-MNIST, [1, 3, 224, 224] for folders).
std::vector<int64_t> training_input_shape(const TrainConfig& config);

}  // namespace bespoke::train
