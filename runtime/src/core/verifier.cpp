// verify_model(): structural verification (identifier, FlatBuffers verifier,
// format version), then the semantic stages of verify_context.h, then the
// finished ModelView. Nothing here trusts a single byte of the file before the
// FlatBuffers verifier has bounds-checked it.
#include "core/verifier.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "bespoke/bespoke.h"
#include "core/op_traits.h"
#include "core/verify_context.h"

namespace bespoke::rt {

// The one place allowed to fill a ModelView (friend of ModelView).
class ModelViewBuilder {
 public:
  static void fill(verify::VerifyContext& ctx, ModelView* view) {
    view->model_ = ctx.model;
    view->tensors_ = std::move(ctx.tensors);
    view->operators_ = std::move(ctx.operators);
    view->inputs_ = std::move(ctx.inputs);
    view->outputs_ = std::move(ctx.outputs);
    view->blocks_ = std::move(ctx.blocks);
    view->weights_bytes_ = ctx.weights_bytes;
  }
};

namespace {

constexpr uint32_t kFormatVersion = 1;

// The four identifier bytes, printable characters only (for the message).
std::string printable_identifier(const uint8_t* base) {
  std::string id;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>(base[flatbuffers::kFileIdentifierLength + i]);
    id += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return id;
}

Status verify_structure(const uint8_t* base, size_t size, const VerifyLimits& limits) {
  if (size < 8) {
    return InvalidModel("file is too small to be a .bspk model (" + std::to_string(size) + " bytes)");
  }
  if (!fb::ModelBufferHasIdentifier(base)) {
    return InvalidModel("not a .bspk model: file identifier is '" + printable_identifier(base) + "', expected 'BSPK'");
  }
  // External tensor data may follow the flatbuffer; the flatbuffer itself is
  // always < 2 GiB and starts at offset 0.
  const size_t fb_size = std::min<size_t>(size, FLATBUFFERS_MAX_BUFFER_SIZE - 1);
  flatbuffers::Verifier::Options options;
  options.max_depth = 32;
  // Tensors and operators carry one nested table each (quantization,
  // options); blocks carry provenance and key-values: a generous bound that
  // still stops a file made of millions of shared tables.
  const uint64_t max_tables = 4 * (uint64_t{limits.max_tensors} + limits.max_operators) + 65536;
  options.max_tables = static_cast<flatbuffers::uoffset_t>(
      std::min<uint64_t>(max_tables, std::numeric_limits<flatbuffers::uoffset_t>::max()));
  flatbuffers::Verifier verifier(base, fb_size, options);
  if (!fb::VerifyModelBuffer(verifier)) {
    return InvalidModel(
        "the FlatBuffers structure of the file is corrupt (truncated file, bad offsets, "
        "or more than " +
        std::to_string(options.max_tables) + " tables)");
  }
  return Status::Ok();
}

Status verify_version(const fb::Model& model) {
  const uint32_t version = model.format_version();
  if (version == 0) return InvalidModel("format_version is 0 (missing); this runtime reads format version 1");
  if (version > kFormatVersion) {
    return Unsupported("the file uses .bspk format version " + std::to_string(version) + "; this runtime (version " +
                       std::to_string(BSP_RUNTIME_VERSION) + ") reads format version " +
                       std::to_string(kFormatVersion) +
                       "; the file requires runtime >= " + std::to_string(model.min_runtime_version()));
  }
  return Status::Ok();
}

}  // namespace

Status verify_model(const void* data, size_t size, ModelView* out, const VerifyLimits& limits) {
  if (out == nullptr) return InvalidArgument("verify_model: the output ModelView is null");
  if (data == nullptr) return InvalidArgument("verify_model: the model data is null");
  if (reinterpret_cast<uintptr_t>(data) % 8 != 0) {
    return InvalidArgument("model memory must be at least 8-byte aligned (64 for in-place weights)");
  }
  const auto* base = static_cast<const uint8_t*>(data);
  BSP_RETURN_IF_ERROR(verify_structure(base, size, limits));

  verify::VerifyContext ctx;
  ctx.base = base;
  ctx.size = size;
  ctx.model = fb::GetModel(base);
  ctx.limits = limits;
  BSP_RETURN_IF_ERROR(verify_version(*ctx.model));
  BSP_RETURN_IF_ERROR(verify::verify_tensors(ctx));
  BSP_RETURN_IF_ERROR(verify::verify_graph_inputs(ctx));
  BSP_RETURN_IF_ERROR(verify::verify_operators(ctx));
  BSP_RETURN_IF_ERROR(verify::verify_graph_outputs(ctx));
  BSP_RETURN_IF_ERROR(verify::verify_blocks(ctx));

  // All operators are known to this runtime; a larger minimum means the
  // producer relies on semantics added after this version.
  if (ctx.model->min_runtime_version() > BSP_RUNTIME_VERSION) {
    return Unsupported("the file requires runtime >= " + std::to_string(ctx.model->min_runtime_version()) +
                       "; this runtime is version " + std::to_string(BSP_RUNTIME_VERSION));
  }
  ModelViewBuilder::fill(ctx, out);
  return Status::Ok();
}

namespace verify {

// Names come from the file: keep messages one readable line.
namespace {

std::string_view view_of(const flatbuffers::String* text) {
  return text != nullptr ? std::string_view(text->c_str(), text->size()) : std::string_view();
}

}  // namespace

std::string quoted_name(const flatbuffers::String* name) { return "'" + printable_name(view_of(name)) + "'"; }

std::string tensor_label(const VerifyContext& ctx, int tensor) {
  std::string label = "tensor " + std::to_string(tensor);
  const auto* tensors = ctx.model->tensors();
  if (tensors != nullptr && tensor >= 0 && static_cast<size_t>(tensor) < tensors->size()) {
    const fb::Tensor* t = tensors->Get(static_cast<flatbuffers::uoffset_t>(tensor));
    if (t != nullptr) label += " " + quoted_name(t->name());
  }
  return label;
}

std::string operator_label(const VerifyContext& ctx, int op) {
  const auto* ops = ctx.model->operators();
  if (ops != nullptr && op >= 0 && static_cast<size_t>(op) < ops->size()) {
    const fb::Operator* o = ops->Get(static_cast<flatbuffers::uoffset_t>(op));
    if (o != nullptr) return rt::operator_label(op, view_of(o->name()), o->opcode());
  }
  return "operator " + std::to_string(op);
}

std::string shape_string(const TensorInfo& t) {
  std::string s = "[";
  for (int i = 0; i < t.rank; ++i) {
    if (i > 0) s += ",";
    s += std::to_string(t.dim(i));
  }
  return s + "]";
}

}  // namespace verify
}  // namespace bespoke::rt
