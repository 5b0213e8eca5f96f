#include "export/bspk_writer.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <unordered_map>

#include "export/bspk_op_table.h"
#include "export/bspk_options.h"
#include "export/canonical_attrs.h"
#include "export/graph_checks.h"

namespace bespoke::exporter {

namespace {

constexpr uint64_t kAlignment = 64;
// Leave room for everything that is not weight data in an inline file.
constexpr uint64_t kMaxInlineBytes = FLATBUFFERS_MAX_BUFFER_SIZE - (uint64_t{1} << 26);

uint64_t align_up(uint64_t v) { return (v + kAlignment - 1) / kAlignment * kAlignment; }

fb::ElementType element_type(const ir::Graph& g, int value) {
  switch (g.values[static_cast<size_t>(value)].dtype) {
    case ir::DType::kF32: return fb::ElementType::FLOAT32;
    case ir::DType::kI8: return fb::ElementType::INT8;
    case ir::DType::kU8: return fb::ElementType::UINT8;
    case ir::DType::kI32: return fb::ElementType::INT32;
    case ir::DType::kI64: return fb::ElementType::INT64;
    case ir::DType::kBool: break;
  }
  throw ExportError(describe_value(g, value) + ": dtype " + ir::dtype_name(g.values[static_cast<size_t>(value)].dtype) +
                    " has no .bspk element type");
}

fb::ProvenanceKind provenance_kind(ir::ProvenanceKind k) {
  switch (k) {
    case ir::ProvenanceKind::kTeacherSpan: return fb::ProvenanceKind::TEACHER_SPAN;
    case ir::ProvenanceKind::kPretrainedSpan: return fb::ProvenanceKind::PRETRAINED_SPAN;
    case ir::ProvenanceKind::kPruned: return fb::ProvenanceKind::PRUNED;
    case ir::ProvenanceKind::kLowRank: return fb::ProvenanceKind::LOW_RANK;
    case ir::ProvenanceKind::kOther: return fb::ProvenanceKind::OTHER;
  }
  return fb::ProvenanceKind::OTHER;
}

// The block written for a graph without blocks (see bspk_writer.h).
ir::Block default_block(const ir::Graph& g) {
  ir::Block b;
  b.name = "model";
  b.node_count = static_cast<int>(g.nodes.size());
  b.input_value = g.inputs[0];
  b.output_value = g.outputs[0];
  b.provenance.kind = ir::ProvenanceKind::kOther;
  b.provenance.parameters.emplace_back(kDefaultBlockMarker, "1");
  return b;
}

class BspkWriter {
 public:
  BspkWriter(const ir::Graph& g, const BspkWriteOptions& options) : g_(g), options_(options) {
    check_values(g_);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const BspkOpInfo& info = check_node(g_, i);
      min_runtime_version_ = std::max(min_runtime_version_, info.since_runtime_version);
    }
    check_execution_order(g_);
    check_blocks(g_);
    if (g_.nodes.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
      throw ExportError("graph has too many nodes for .bspk");
    assign_buffers();
    blocks_ = g_.blocks;
    if (blocks_.empty() && g_.inputs.size() == 1 && g_.outputs.size() == 1 && !g_.nodes.empty())
      blocks_.push_back(default_block(g_));
  }

  std::vector<uint8_t> write() {
    if (!options_.external_data) {
      if (constant_bytes_ > kMaxInlineBytes)
        throw ExportError("constants total " + std::to_string(constant_bytes_) +
                          " bytes, more than an inline .bspk can hold (2 GiB); write with external_data");
      return build(nullptr);
    }
    // External offsets are absolute, so they depend on the flatbuffer's own
    // size. Build once with placeholder offsets (any non-zero value, so no
    // field is elided as a default), then again with the real ones; the size
    // is the same because offset fields are fixed-width.
    std::vector<uint64_t> offsets(constants_.size(), uint64_t{1} << 62);
    size_t fb_size = build(&offsets).size();
    for (int attempt = 0; attempt < 4; ++attempt) {
      uint64_t at = align_up(fb_size);
      for (size_t k = 0; k < constants_.size(); ++k) {
        offsets[k] = at;
        at = align_up(at + constants_[k]->bytes.size());
      }
      std::vector<uint8_t> file = build(&offsets);
      if (file.size() != fb_size) {
        fb_size = file.size();
        continue;
      }
      append_external(file, offsets);
      return file;
    }
    throw ExportError("internal error: external-data layout did not converge");
  }

 private:
  // One buffer per distinct ConstantPtr, in value order; buffer 0 is the sentinel.
  void assign_buffers() {
    buffer_of_value_.assign(g_.values.size(), 0);
    std::unordered_map<const ir::TensorData*, uint32_t> seen;
    for (size_t v = 0; v < g_.values.size(); ++v) {
      const ir::ConstantPtr& c = g_.values[v].constant;
      if (!c) continue;
      auto [it, inserted] = seen.emplace(c.get(), static_cast<uint32_t>(constants_.size() + 1));
      if (inserted) {
        constants_.push_back(c.get());
        constant_bytes_ += c->bytes.size();
      }
      buffer_of_value_[v] = it->second;
    }
  }

  void append_external(std::vector<uint8_t>& file, const std::vector<uint64_t>& offsets) const {
    uint64_t end = constants_.empty() ? file.size() : offsets.back() + constants_.back()->bytes.size();
    file.resize(end, 0);
    for (size_t k = 0; k < constants_.size(); ++k)
      std::copy(constants_[k]->bytes.begin(), constants_[k]->bytes.end(),
                file.begin() + static_cast<ptrdiff_t>(offsets[k]));
  }

  using KeyValues = std::vector<flatbuffers::Offset<fb::KeyValue>>;
  KeyValues key_values(flatbuffers::FlatBufferBuilder& fbb,
                       const std::vector<std::pair<std::string, std::string>>& kvs) const {
    KeyValues out;
    for (const auto& [k, v] : kvs) out.push_back(fb::CreateKeyValueDirect(fbb, k.c_str(), v.c_str()));
    return out;
  }

  // One complete flatbuffer; `external_offsets` null = inline data.
  std::vector<uint8_t> build(const std::vector<uint64_t>* external_offsets) const {
    flatbuffers::FlatBufferBuilder fbb(external_offsets ? 1024 : constant_bytes_ + 1024);

    std::vector<flatbuffers::Offset<fb::Buffer>> buffers{fb::CreateBuffer(fbb)};
    for (size_t k = 0; k < constants_.size(); ++k) {
      const auto& bytes = constants_[k]->bytes;
      if (external_offsets) {
        buffers.push_back(fb::CreateBuffer(fbb, 0, (*external_offsets)[k], bytes.size()));
      } else {
        fbb.ForceVectorAlignment(bytes.size(), 1, kAlignment);
        buffers.push_back(fb::CreateBuffer(fbb, fbb.CreateVector(bytes.data(), bytes.size())));
      }
    }

    std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
    for (size_t v = 0; v < g_.values.size(); ++v) {
      const ir::Value& value = g_.values[v];
      std::vector<int32_t> shape(value.shape->begin(), value.shape->end());  // range checked in check_values
      tensors.push_back(fb::CreateTensorDirect(fbb, value.name.c_str(), &shape, element_type(g_, static_cast<int>(v)),
                                               buffer_of_value_[v]));
    }

    std::vector<flatbuffers::Offset<fb::Operator>> ops;
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const ir::Node& n = g_.nodes[i];
      const BspkOpInfo& info = *find_op(n.op);  // checked in the constructor
      CanonicalAttrs attrs(n, i);
      EncodedOptions options = encode_options(fbb, info, attrs);
      std::vector<int32_t> ins(n.inputs.begin(), n.inputs.end()), outs(n.outputs.begin(), n.outputs.end());
      ops.push_back(fb::CreateOperatorDirect(fbb, info.code, options.type, options.table, &ins, &outs, n.name.c_str()));
    }

    std::vector<flatbuffers::Offset<fb::Block>> blocks;
    for (const ir::Block& b : blocks_) {
      const ir::Provenance& p = b.provenance;
      KeyValues params = key_values(fbb, p.parameters);
      auto prov = fb::CreateProvenanceDirect(fbb, provenance_kind(p.kind), p.teacher_cut_begin, p.teacher_cut_end,
                                             p.source_model.c_str(), p.source_node_begin.c_str(),
                                             p.source_node_end.c_str(), &params, p.distill_loss);
      blocks.push_back(fb::CreateBlockDirect(fbb, b.id, b.name.c_str(), static_cast<uint32_t>(b.first_node),
                                             static_cast<uint32_t>(b.node_count), b.input_value, b.output_value, prov));
    }

    KeyValues metadata = key_values(fbb, g_.metadata);
    // Value ids fit in int32: check_values bounds the value count.
    std::vector<int32_t> inputs(g_.inputs.begin(), g_.inputs.end()), outputs(g_.outputs.begin(), g_.outputs.end());
    auto model = fb::CreateModelDirect(fbb, kFormatVersion, min_runtime_version_, options_.producer_name.c_str(),
                                       options_.producer_version.c_str(), g_.name.c_str(), &metadata, &tensors,
                                       &buffers, &ops, &inputs, &outputs, &blocks);
    fb::FinishModelBuffer(fbb, model);
    return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  }

  const ir::Graph& g_;
  const BspkWriteOptions& options_;
  uint32_t min_runtime_version_ = kRuntimeVersionV1;
  std::vector<uint32_t> buffer_of_value_;
  std::vector<const ir::TensorData*> constants_;
  uint64_t constant_bytes_ = 0;
  std::vector<ir::Block> blocks_;
};

}  // namespace

std::vector<uint8_t> write_bspk(const ir::Graph& g, const BspkWriteOptions& options) {
  return BspkWriter(g, options).write();
}

void save_bspk(const ir::Graph& g, const std::string& path, const BspkWriteOptions& options) {
  std::vector<uint8_t> bytes = write_bspk(g, options);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw ExportError("cannot open '" + path + "' for writing");
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw ExportError("failed writing " + std::to_string(bytes.size()) + " bytes to '" + path + "'");
}

}  // namespace bespoke::exporter
