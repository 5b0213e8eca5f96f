// declared_inputs() of onnx_importer.h.
#include <set>

#include "onnx_import/model_proto.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::onnx_import {

std::vector<DeclaredInput> declared_inputs(const std::string& path) {
  const std::string bytes = detail::read_model_file(path);
  const detail::ParsedModel parsed = detail::parse_model(bytes.data(), bytes.size(), path, /*run_checker=*/false);
  const onnx::GraphProto& graph = parsed.proto.graph();
  std::set<std::string> initializers;
  for (const auto& t : graph.initializer()) initializers.insert(t.name());
  std::vector<DeclaredInput> inputs;
  for (const auto& vi : graph.input()) {
    if (initializers.count(vi.name())) continue;
    DeclaredInput in;
    in.name = vi.name();
    const auto& tensor_type = vi.type().tensor_type();
    in.has_shape = tensor_type.has_shape();
    if (in.has_shape)
      for (const auto& dim : tensor_type.shape().dim())
        in.dims.push_back(dim.has_dim_value() && dim.dim_value() > 0 ? dim.dim_value() : -1);
    inputs.push_back(std::move(in));
  }
  return inputs;
}

}  // namespace bespoke::onnx_import
