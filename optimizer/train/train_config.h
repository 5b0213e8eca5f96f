// Everything that determines a training run, so that a run is reproducible
// from this config (a TOML file, overridden by command-line options) and the
// seed. The effective config is written next to the trained model and into
// the checkpoint directory, where --resume checks it.
//
//   [model]     arch = "resnet8", input_shape = [] (dataset default)
//   [data]      name = "fashion-mnist", dir = "", validation_count = 5000,
//               split_seed = 1, limit_train = 0, limit_validation = 0
//   [augment]   crop_padding = 2, horizontal_flip = true
//   [optimizer] epochs = 12, batch_size = 128, lr = 0.1, momentum = 0.9,
//               nesterov = true, weight_decay = 5e-4, warmup_epochs = 1.0,
//               min_lr = 0.0, label_smoothing = 0.0
//   [run]       seed = 0, threads = 0 (all cores), log_seconds = 10
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::train {

struct TrainConfig {
  // [model]
  std::string arch = "resnet8";
  std::vector<int64_t> input_shape;  // [N, C, H, W]; empty = the dataset's (1x1x28x28 for Fashion-MNIST)
  // [data]
  std::string data = "fashion-mnist";  // or an image-folder directory
  std::string data_dir;                // Fashion-MNIST directory override
  int64_t validation_count = 5000;     // held out of the training set
  uint64_t split_seed = 1;
  int64_t limit_train = 0;  // > 0: only the first N training images (smoke tests)
  int64_t limit_validation = 0;
  // [augment]
  int64_t crop_padding = 2;
  bool horizontal_flip = true;
  // [optimizer]
  int64_t epochs = 12;
  int64_t batch_size = 128;
  double lr = 0.1;  // peak learning rate, after warmup
  double momentum = 0.9;
  bool nesterov = true;
  double weight_decay = 5e-4;  // on Conv / FullyConnected weights only
  double warmup_epochs = 1.0;
  double min_lr = 0.0;  // end of the cosine schedule
  double label_smoothing = 0.0;
  // [run]
  uint64_t seed = 0;  // weights, data order, augmentation
  int threads = 0;    // LibTorch intra-op threads; 0 = all cores
  double log_seconds = 10.0;

  // Throws std::invalid_argument naming the first bad setting.
  void check() const;
  // Settings that change the results (all but threads and log_seconds) equal?
  bool same_run(const TrainConfig& other) const;
};

// Throws std::runtime_error naming the file and key for a syntax error, an
// unknown key or a value of the wrong type.
TrainConfig load_train_config(const std::string& path);
TrainConfig parse_train_config(const std::string& toml_text, const std::string& source);
std::string to_toml(const TrainConfig& config);
void save_train_config(const TrainConfig& config, const std::string& path);

}  // namespace bespoke::train
