// The checkpoint directory of a training run:
//   config.toml                 the effective TrainConfig (checked on resume)
//   epoch-NNNN.model.pt         GraphModule state after epoch NNNN (1-based)
//   epoch-NNNN.optimizer.pt     SGD momentum buffers
//   state.toml                  completed epochs, steps, seed, per-epoch history
// state.toml is written last (to a temporary file, then renamed): a run
// interrupted at any point resumes from the last epoch whose files are all
// complete. Only the newest `keep` epochs' files are kept.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::train {

struct EpochRecord {
  int64_t epoch = 0;  // 1-based
  double train_loss = 0.0;
  double train_accuracy = 0.0;
  double val_loss = 0.0;
  double val_accuracy = 0.0;
  double last_lr = 0.0;
  double first_step_loss = 0.0;  // loss of the epoch's first step (resume checks)
  double seconds = 0.0;          // wall time of the epoch, validation included
  double images_per_second = 0.0;
};

struct CheckpointState {
  int64_t epochs_done = 0;
  int64_t steps_done = 0;
  uint64_t seed = 0;
  std::vector<EpochRecord> history;
};

class CheckpointStore {
 public:
  explicit CheckpointStore(std::string dir, int keep = 2);

  const std::string& dir() const { return dir_; }
  std::string config_path() const;
  std::string model_path(int64_t epoch) const;
  std::string optimizer_path(int64_t epoch) const;

  // True when state.toml exists (a run has completed at least one epoch).
  bool has_state() const;
  // Throws std::runtime_error naming the file when it is unreadable.
  CheckpointState load_state() const;
  // Writes state.toml atomically, then removes epochs older than the newest `keep`.
  void commit(const CheckpointState& state) const;

 private:
  std::string dir_;
  int keep_;
};

}  // namespace bespoke::train
