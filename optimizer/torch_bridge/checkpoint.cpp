// GraphModule checkpoints: state() as a pickled dict (str -> Tensor), the
// format torch::pickle_save writes and Python's torch.load reads.
#include <ATen/core/Dict.h>
#include <ATen/core/grad_mode.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "torch_bridge/graph_module.h"

namespace bespoke::torchbridge {

void GraphModule::save(const std::string& path) const {
  c10::Dict<std::string, at::Tensor> dict;
  for (const auto& [name, tensor] : state()) dict.insert(name, tensor.detach());
  std::vector<char> bytes;
  try {
    bytes = torch::jit::pickle_save(c10::IValue(dict));
  } catch (const c10::Error& e) {
    throw BridgeError("checkpoint '" + path + "': cannot serialize: " + e.what_without_backtrace());
  }
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw BridgeError("checkpoint '" + path + "': cannot write '" + temporary + "'");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw BridgeError("checkpoint '" + path + "': cannot rename '" + temporary + "': " + error.message());
}

void GraphModule::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BridgeError("checkpoint '" + path + "': cannot open");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c10::IValue value;
  try {
    value = torch::jit::pickle_load(bytes);
  } catch (const std::exception& e) {
    throw BridgeError("checkpoint '" + path + "': not a pickled tensor dict: " + e.what());
  }
  if (!value.isGenericDict()) throw BridgeError("checkpoint '" + path + "': does not hold a dict");
  const c10::impl::GenericDict dict = value.toGenericDict();

  // Check everything before changing anything, and report every problem at once.
  std::vector<std::pair<at::Tensor, at::Tensor>> copies;  // destination, source
  std::string problems;
  size_t matched = 0;
  for (const auto& [name, tensor] : state()) {
    const auto it = dict.find(c10::IValue(name));
    if (it == dict.end()) {
      problems += " missing '" + name + "';";
      continue;
    }
    ++matched;
    if (!it->value().isTensor()) {
      problems += " '" + name + "' is not a tensor;";
      continue;
    }
    const at::Tensor source = it->value().toTensor();
    if (source.sizes() != tensor.sizes() || source.scalar_type() != tensor.scalar_type()) {
      problems += " '" + name + "' is " + c10::toString(source.scalar_type()) + " " + c10::str(source.sizes()) +
                  ", the module has " + c10::toString(tensor.scalar_type()) + " " + c10::str(tensor.sizes()) + ";";
      continue;
    }
    copies.emplace_back(tensor, source);
  }
  if (dict.size() > matched)
    problems += " " + std::to_string(dict.size() - matched) + " entries the module does not have;";
  if (!problems.empty())
    throw BridgeError("checkpoint '" + path + "' does not fit graph '" + graph_.name + "':" + problems);

  const at::NoGradGuard no_grad;
  for (auto& [destination, source] : copies) destination.copy_(source);
}

}  // namespace bespoke::torchbridge
