#include "train/sgd.h"

#include <ATen/ATen.h>
#include <ATen/core/Dict.h>
#include <ATen/core/grad_mode.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace bespoke::train {

Sgd::Sgd(std::vector<NamedTensor> parameters, SgdOptions options)
    : parameters_(std::move(parameters)), options_(options) {
  for (const auto& [name, p] : parameters_) {
    momentum_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous).detach());
    decayed_.push_back(p.dim() >= 2);
  }
}

void Sgd::step(double lr) {
  at::NoGradGuard no_grad;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    at::Tensor& p = parameters_[i].second;
    const at::Tensor& grad = p.grad();
    if (!grad.defined()) continue;
    at::Tensor d = grad;
    if (options_.weight_decay != 0.0 && decayed_[i]) d = d.add(p, options_.weight_decay);
    if (options_.momentum != 0.0) {
      at::Tensor& buf = momentum_[i];
      buf.mul_(options_.momentum).add_(d);
      d = options_.nesterov ? d.add(buf, options_.momentum) : buf;
    }
    p.add_(d, -lr);
  }
}

void Sgd::zero_grad() {
  for (auto& [name, p] : parameters_) p.mutable_grad() = at::Tensor();
}

void Sgd::save(const std::string& path) const {
  c10::Dict<std::string, at::Tensor> dict;
  for (size_t i = 0; i < parameters_.size(); ++i) dict.insert(parameters_[i].first, momentum_[i]);
  const std::vector<char> bytes = torch::jit::pickle_save(c10::IValue(dict));
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("optimizer state '" + path + "': cannot write '" + temporary + "'");
  }
  std::filesystem::rename(temporary, path);
}

void Sgd::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("optimizer state '" + path + "': cannot open");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c10::IValue value;
  try {
    value = torch::jit::pickle_load(bytes);
  } catch (const std::exception& e) {
    throw std::runtime_error("optimizer state '" + path + "': not a pickled tensor dict: " + e.what());
  }
  if (!value.isGenericDict()) throw std::runtime_error("optimizer state '" + path + "': does not hold a dict");
  const c10::impl::GenericDict dict = value.toGenericDict();
  if (dict.size() != parameters_.size()) {
    throw std::runtime_error("optimizer state '" + path + "': " + std::to_string(dict.size()) +
                             " buffers, the model has " + std::to_string(parameters_.size()) + " parameters");
  }
  std::vector<at::Tensor> loaded;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    const auto it = dict.find(c10::IValue(parameters_[i].first));
    if (it == dict.end() || !it->value().isTensor()) {
      throw std::runtime_error("optimizer state '" + path + "': no buffer for '" + parameters_[i].first + "'");
    }
    at::Tensor t = it->value().toTensor();
    if (t.sizes() != momentum_[i].sizes() || t.scalar_type() != momentum_[i].scalar_type()) {
      throw std::runtime_error("optimizer state '" + path + "': buffer '" + parameters_[i].first +
                               "' has another shape or type");
    }
    loaded.push_back(t);
  }
  at::NoGradGuard no_grad;
  for (size_t i = 0; i < loaded.size(); ++i) momentum_[i].copy_(loaded[i]);
}

}  // namespace bespoke::train
