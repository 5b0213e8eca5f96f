// Stochastic gradient descent with momentum (PyTorch's torch.optim.SGD
// update, including Nesterov) and weight decay restricted to the tensors a
// filter selects (by default: rank >= 2, i.e. Conv and FullyConnected
// weights, not BatchNormalization scales or biases). Its state (momentum
// buffers) saves to and loads from a checkpoint file.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace bespoke::train {

struct SgdOptions {
  double momentum = 0.9;
  bool nesterov = false;
  double weight_decay = 0.0;
};

class Sgd {
 public:
  using NamedTensor = std::pair<std::string, at::Tensor>;

  Sgd(std::vector<NamedTensor> parameters, SgdOptions options);

  // One update with learning rate `lr` from the parameters' .grad() (a
  // parameter without a gradient is left alone).
  void step(double lr);
  // Drops the gradients (set to undefined, as set_to_none does).
  void zero_grad();

  // Momentum buffers as a pickled dict name -> tensor, written atomically.
  // load() checks names and shapes; throws std::runtime_error naming the file.
  void save(const std::string& path) const;
  void load(const std::string& path);

 private:
  std::vector<NamedTensor> parameters_;
  std::vector<at::Tensor> momentum_;
  std::vector<bool> decayed_;
  SgdOptions options_;
};

}  // namespace bespoke::train
