#include "export/bspk_reader.h"

#include <fstream>
#include <limits>
#include <unordered_map>

#include "export/bspk_op_table.h"
#include "export/bspk_options.h"
#include "export/bspk_writer.h"
#include "schema/bespoke_generated.h"

namespace bespoke::exporter {

namespace {

// Bounds element counts so that byte sizes cannot overflow.
constexpr uint64_t kMaxElements = uint64_t{1} << 40;

[[noreturn]] void fail(const std::string& problem) { throw ExportError("invalid .bspk: " + problem); }

std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

ir::DType dtype_of(fb::ElementType t, const std::string& where) {
  switch (t) {
    case fb::ElementType::FLOAT32: return ir::DType::kF32;
    case fb::ElementType::INT8: return ir::DType::kI8;
    case fb::ElementType::UINT8: return ir::DType::kU8;
    case fb::ElementType::INT32: return ir::DType::kI32;
    case fb::ElementType::INT64: return ir::DType::kI64;
  }
  fail(where + ": unknown element type " + std::to_string(static_cast<int>(t)));
}

ir::ProvenanceKind provenance_kind(fb::ProvenanceKind k, const std::string& where) {
  switch (k) {
    case fb::ProvenanceKind::TEACHER_SPAN: return ir::ProvenanceKind::kTeacherSpan;
    case fb::ProvenanceKind::PRETRAINED_SPAN: return ir::ProvenanceKind::kPretrainedSpan;
    case fb::ProvenanceKind::PRUNED: return ir::ProvenanceKind::kPruned;
    case fb::ProvenanceKind::LOW_RANK: return ir::ProvenanceKind::kLowRank;
    case fb::ProvenanceKind::OTHER: return ir::ProvenanceKind::kOther;
  }
  fail(where + ": unknown provenance kind " + std::to_string(static_cast<int>(k)));
}

std::vector<std::pair<std::string, std::string>> key_values(
    const flatbuffers::Vector<flatbuffers::Offset<fb::KeyValue>>* v) {
  std::vector<std::pair<std::string, std::string>> out;
  if (v)
    for (const fb::KeyValue* kv : *v) out.emplace_back(str(kv->key()), str(kv->value()));
  return out;
}

// The bytes of one buffer, located and bounds-checked in the file.
struct BufferSpan {
  const uint8_t* data = nullptr;
  uint64_t size = 0;
};

class BspkReader {
 public:
  BspkReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  ir::Graph read() {
    verify_container();
    model_ = fb::GetModel(data_);
    if (model_->format_version() != kFormatVersion)
      fail("format version " + std::to_string(model_->format_version()) + " is not supported (this reader reads " +
           std::to_string(kFormatVersion) + ")");
    ir::Graph g;
    g.name = str(model_->name());
    g.metadata = key_values(model_->metadata());
    read_buffers();
    read_tensors(g);
    read_operators(g);
    g.inputs = graph_io(model_->inputs(), g, "graph input");
    g.outputs = graph_io(model_->outputs(), g, "graph output");
    read_blocks(g);
    return g;
  }

 private:
  void verify_container() const {
    if (!data_ || size_ < 8) fail("file is " + std::to_string(size_) + " bytes, too small to be a model");
    if (!fb::ModelBufferHasIdentifier(data_)) {
      std::string id;
      for (size_t i = 4; i < 8; ++i) {
        char c = static_cast<char>(data_[i]);
        id += (c >= 32 && c < 127) ? std::string(1, c) : "\\x" + std::to_string(static_cast<unsigned>(data_[i]));
      }
      fail("file identifier is '" + id + "', expected '" + fb::ModelIdentifier() + "' (not a .bspk model)");
    }
    // External data may make the file larger than a flatbuffer can be; the
    // flatbuffer itself always lies in the first 2 GiB.
    size_t fb_size = std::min<size_t>(size_, FLATBUFFERS_MAX_BUFFER_SIZE - 1);
    flatbuffers::Verifier::Options opts;
    opts.max_tables = 1u << 26;
    flatbuffers::Verifier verifier(data_, fb_size, opts);
    if (!fb::VerifyModelBuffer(verifier))
      fail("the FlatBuffers verifier rejected the file (truncated or corrupted, " + std::to_string(size_) + " bytes)");
  }

  void read_buffers() {
    const auto* buffers = model_->buffers();
    if (!buffers || buffers->size() == 0) fail("buffer 0 (the empty sentinel) is missing");
    for (uint32_t i = 0; i < buffers->size(); ++i) {
      const fb::Buffer* b = buffers->Get(i);
      std::string where = "buffer " + std::to_string(i);
      BufferSpan span;
      if (b->data()) {
        if (b->offset() != 0 || (b->size() != 0 && b->size() != b->data()->size()))
          fail(where + ": has inline data and an external range");
        span = {b->data()->data(), b->data()->size()};
        auto offset = static_cast<uint64_t>(span.data - data_);
        if (span.size != 0 && offset % 64 != 0)
          fail(where + ": inline data at file offset " + std::to_string(offset) + " is not 64-byte aligned");
      } else if (b->size() != 0) {
        if (b->offset() % 64 != 0)
          fail(where + ": external offset " + std::to_string(b->offset()) + " is not 64-aligned");
        if (b->offset() > size_ || b->size() > size_ - b->offset())
          fail(where + ": external range [" + std::to_string(b->offset()) + ", +" + std::to_string(b->size()) +
               ") lies outside the " + std::to_string(size_) + "-byte file");
        span = {data_ + b->offset(), b->size()};
      }
      if (i == 0 && span.size != 0)
        fail("buffer 0 must be the empty sentinel, has " + std::to_string(span.size) + " bytes");
      buffers_.push_back(span);
    }
  }

  void read_tensors(ir::Graph& g) {
    const auto* tensors = model_->tensors();
    if (!tensors) return;
    if (tensors->size() > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) fail("too many tensors");
    std::unordered_map<uint32_t, ir::ConstantPtr> constant_of_buffer;  // shared buffers -> one ConstantPtr
    for (uint32_t i = 0; i < tensors->size(); ++i) {
      const fb::Tensor* t = tensors->Get(i);
      ir::Value v;
      v.name = str(t->name());
      std::string where = "tensor " + std::to_string(i) + " '" + v.name + "'";
      v.dtype = dtype_of(t->type(), where);
      ir::Shape shape;
      uint64_t elements = 1;
      if (t->shape())
        for (int32_t d : *t->shape()) {
          if (d < 1) fail(where + ": dimension " + std::to_string(d) + " is not >= 1");
          shape.push_back(d);
          elements *= static_cast<uint64_t>(d);
          if (elements > kMaxElements) fail(where + ": shape has more than 2^40 elements");
        }
      v.shape = shape;
      uint32_t buffer = t->buffer();
      if (buffer >= buffers_.size())
        fail(where + ": buffer index " + std::to_string(buffer) + " out of range (" + std::to_string(buffers_.size()) +
             " buffers)");
      if (buffer != 0) {
        uint64_t expected = elements * ir::dtype_size(v.dtype);
        if (buffers_[buffer].size != expected)
          fail(where + ": buffer " + std::to_string(buffer) + " has " + std::to_string(buffers_[buffer].size) +
               " bytes, shape " + ir::shape_string(shape) + " of " + ir::dtype_name(v.dtype) + " needs " +
               std::to_string(expected));
        ir::ConstantPtr& c = constant_of_buffer[buffer];
        if (!c || c->dtype != v.dtype || c->shape != shape) {
          auto data = std::make_shared<ir::TensorData>();
          data->dtype = v.dtype;
          data->shape = shape;
          data->bytes.assign(buffers_[buffer].data, buffers_[buffer].data + buffers_[buffer].size);
          c = data;
        }
        v.constant = c;
      }
      g.values.push_back(std::move(v));
    }
  }

  int tensor_index(int32_t t, const ir::Graph& g, bool optional, const std::string& where) const {
    if ((optional && t == -1) || (t >= 0 && static_cast<size_t>(t) < g.values.size())) return t;
    fail(where + ": tensor index " + std::to_string(t) + " out of range (" + std::to_string(g.values.size()) +
         " tensors)");
  }

  void read_operators(ir::Graph& g) {
    const auto* ops = model_->operators();
    if (!ops) return;
    for (uint32_t i = 0; i < ops->size(); ++i) {
      const fb::Operator* op = ops->Get(i);
      ir::Node n;
      n.name = str(op->name());
      std::string where = "operator " + std::to_string(i) + (n.name.empty() ? "" : " '" + n.name + "'");
      const BspkOpInfo* info = find_op(op->opcode());
      if (!info)
        fail(where + ": unknown opcode " + std::to_string(static_cast<uint32_t>(op->opcode())) +
             "; the file needs runtime version " + runtime_version_string(model_->min_runtime_version()) +
             " (min_runtime_version " + std::to_string(model_->min_runtime_version()) +
             ") and this reader knows the opcodes of format version " + std::to_string(kFormatVersion));
      n.op = info->name;
      where += std::string(" (") + fb::EnumNameOpCode(info->code) + ")";
      if (op->inputs())
        for (int32_t t : *op->inputs()) n.inputs.push_back(tensor_index(t, g, true, where + " input"));
      if (op->outputs())
        for (int32_t t : *op->outputs()) n.outputs.push_back(tensor_index(t, g, false, where + " output"));
      std::string arity = check_arity(*info, n.inputs, n.outputs);
      if (!arity.empty()) fail(where + ": " + arity);
      try {
        decode_options(*op, *info, n, where);
      } catch (const ExportError& e) {
        fail(e.what());
      }
      g.nodes.push_back(std::move(n));
    }
  }

  std::vector<int> graph_io(const flatbuffers::Vector<int32_t>* list, const ir::Graph& g, const char* what) const {
    std::vector<int> out;
    if (list)
      for (int32_t t : *list) out.push_back(tensor_index(t, g, false, what));
    return out;
  }

  void read_blocks(ir::Graph& g) {
    const auto* blocks = model_->blocks();
    if (!blocks) return;
    uint64_t next = 0;
    for (uint32_t i = 0; i < blocks->size(); ++i) {
      const fb::Block* fbk = blocks->Get(i);
      ir::Block b;
      b.id = fbk->id();
      b.name = str(fbk->name());
      std::string where = "block " + std::to_string(i) + " '" + b.name + "'";
      if (fbk->first_operator() != next || fbk->operator_count() == 0 || next + fbk->operator_count() > g.nodes.size())
        fail(where + ": operators [" + std::to_string(fbk->first_operator()) + ", +" +
             std::to_string(fbk->operator_count()) + ") do not continue the partition of the " +
             std::to_string(g.nodes.size()) + " operators at " + std::to_string(next));
      next += fbk->operator_count();
      b.first_node = static_cast<int>(fbk->first_operator());
      b.node_count = static_cast<int>(fbk->operator_count());
      b.input_value = tensor_index(fbk->input_tensor(), g, true, where + " input");
      b.output_value = tensor_index(fbk->output_tensor(), g, true, where + " output");
      if (const fb::Provenance* p = fbk->provenance()) {
        b.provenance.kind = provenance_kind(p->kind(), where);
        b.provenance.teacher_cut_begin = p->teacher_cut_begin();
        b.provenance.teacher_cut_end = p->teacher_cut_end();
        b.provenance.source_model = str(p->source_model());
        b.provenance.source_node_begin = str(p->source_node_begin());
        b.provenance.source_node_end = str(p->source_node_end());
        b.provenance.parameters = key_values(p->parameters());
        b.provenance.distill_loss = p->distill_loss();
      }
      g.blocks.push_back(std::move(b));
    }
    if (!g.blocks.empty() && next != g.nodes.size())
      fail("blocks cover operators [0, " + std::to_string(next) + ") of " + std::to_string(g.nodes.size()));
    // The writer's synthesized whole-model block is not part of the graph.
    if (g.blocks.size() == 1 && g.blocks[0].provenance.parameters.size() == 1 &&
        g.blocks[0].provenance.parameters[0].first == kDefaultBlockMarker)
      g.blocks.clear();
  }

  const uint8_t* data_;
  size_t size_;
  const fb::Model* model_ = nullptr;
  std::vector<BufferSpan> buffers_;
};

}  // namespace

ir::Graph read_bspk(const uint8_t* data, size_t size) { return BspkReader(data, size).read(); }

ir::Graph load_bspk(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw ExportError("cannot open '" + path + "'");
  std::streamoff size = in.tellg();
  if (size < 0) throw ExportError("cannot determine the size of '" + path + "'");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), size);
  if (!in) throw ExportError("failed reading " + std::to_string(size) + " bytes from '" + path + "'");
  try {
    return read_bspk(bytes.data(), bytes.size());
  } catch (const ExportError& e) {
    throw ExportError(path + ": " + e.what());
  }
}

}  // namespace bespoke::exporter
