#include "tensor_io/tensor_proto.h"

#include <cstring>

#include "tensor_io/tensor_file.h"

namespace bespoke::tools {
namespace {

// TensorProto field numbers and the one data type we execute.
constexpr uint32_t kDims = 1, kDataType = 2, kFloatData = 4, kName = 8, kRawData = 9;
constexpr uint64_t kFloat = 1;
constexpr size_t kMaxDims = 32;

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

rt::Status pb_error(const std::string& what) { return rt::InvalidArgument("invalid TensorProto (.pb) file: " + what); }

// A bounds-checked cursor over protobuf wire-format bytes.
class WireReader {
 public:
  WireReader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ == end_; }

  bool varint(uint64_t* value) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      const uint8_t byte = *p_++;
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *value = v;
        return true;
      }
    }
    return false;  // more than 10 bytes
  }
  bool fixed32(uint32_t* value) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | p_[i];
    p_ += 4;
    *value = v;
    return true;
  }
  // A length-delimited payload: [*data, *data + *size).
  bool bytes(const uint8_t** data, size_t* size) {
    uint64_t n = 0;
    if (!varint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *data = p_;
    *size = static_cast<size_t>(n);
    p_ += n;
    return true;
  }
  bool skip(uint32_t wire_type) {
    uint64_t ignored = 0;
    const uint8_t* data = nullptr;
    size_t size = 0;
    switch (wire_type) {
      case kVarint: return varint(&ignored);
      case kFixed64:
        if (end_ - p_ < 8) return false;
        p_ += 8;
        return true;
      case kLengthDelimited: return bytes(&data, &size);
      case kFixed32:
        if (end_ - p_ < 4) return false;
        p_ += 4;
        return true;
      default: return false;  // groups are not used by ONNX
    }
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

float float_from_bits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

rt::Status read_dim(WireReader& r, uint32_t wire_type, std::vector<int64_t>* dims) {
  const auto push = [&](uint64_t v) {
    if (dims->size() == kMaxDims) return pb_error("more than 32 dims");
    dims->push_back(static_cast<int64_t>(v));
    return rt::Status::Ok();
  };
  uint64_t v = 0;
  if (wire_type == kVarint) {
    if (!r.varint(&v)) return pb_error("truncated dims");
    return push(v);
  }
  const uint8_t* data = nullptr;
  size_t size = 0;
  if (wire_type != kLengthDelimited || !r.bytes(&data, &size)) return pb_error("malformed dims");
  WireReader packed(data, size);
  while (!packed.done()) {
    if (!packed.varint(&v)) return pb_error("truncated packed dims");
    BSP_RETURN_IF_ERROR(push(v));
  }
  return rt::Status::Ok();
}

rt::Status read_float_data(WireReader& r, uint32_t wire_type, std::vector<float>* values) {
  uint32_t bits = 0;
  if (wire_type == kFixed32) {
    if (!r.fixed32(&bits)) return pb_error("truncated float_data");
    values->push_back(float_from_bits(bits));
    return rt::Status::Ok();
  }
  const uint8_t* data = nullptr;
  size_t size = 0;
  if (wire_type != kLengthDelimited || !r.bytes(&data, &size) || size % 4 != 0) {
    return pb_error("malformed float_data");
  }
  WireReader packed(data, size);
  while (packed.fixed32(&bits)) values->push_back(float_from_bits(bits));
  return rt::Status::Ok();
}

void put_varint(std::vector<uint8_t>* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

void put_tag(std::vector<uint8_t>* out, uint32_t field, WireType type) { put_varint(out, (field << 3) | type); }

void put_bytes(std::vector<uint8_t>* out, uint32_t field, const uint8_t* data, size_t size) {
  put_tag(out, field, kLengthDelimited);
  put_varint(out, size);
  out->insert(out->end(), data, data + size);
}

}  // namespace

rt::Status parse_tensor_proto(const std::vector<uint8_t>& bytes, HostTensor* tensor) {
  WireReader r(bytes.data(), bytes.size());
  HostTensor t;
  uint64_t data_type = 0;
  std::vector<float> float_data;
  const uint8_t* raw = nullptr;
  size_t raw_size = 0;
  bool has_raw = false;
  while (!r.done()) {
    uint64_t key = 0;
    if (!r.varint(&key) || key > UINT32_MAX) return pb_error("bad field key");
    const auto field = static_cast<uint32_t>(key >> 3);
    const auto wire_type = static_cast<uint32_t>(key & 7);
    if (field == kDims) {
      BSP_RETURN_IF_ERROR(read_dim(r, wire_type, &t.dims));
    } else if (field == kDataType && wire_type == kVarint) {
      if (!r.varint(&data_type)) return pb_error("truncated data_type");
    } else if (field == kFloatData) {
      BSP_RETURN_IF_ERROR(read_float_data(r, wire_type, &float_data));
    } else if (field == kName && wire_type == kLengthDelimited) {
      const uint8_t* name = nullptr;
      size_t size = 0;
      if (!r.bytes(&name, &size)) return pb_error("truncated name");
      t.name.assign(reinterpret_cast<const char*>(name), size);
    } else if (field == kRawData && wire_type == kLengthDelimited) {
      if (!r.bytes(&raw, &raw_size)) return pb_error("truncated raw_data");
      has_raw = true;
    } else if (!r.skip(wire_type)) {
      return pb_error("malformed field " + std::to_string(field));
    }
  }
  if (data_type != kFloat) {
    return rt::Unsupported("TensorProto data_type " + std::to_string(data_type) +
                           " is not supported; only FLOAT (1) is");
  }
  uint64_t count = 0;
  if (!checked_element_count(t.dims, kMaxTensorBytes / sizeof(float), &count)) {
    return pb_error("dims " + dims_string(t.dims) + " are too large");
  }
  if (has_raw) {
    if (raw_size != count * sizeof(float)) {
      return pb_error("raw_data holds " + std::to_string(raw_size) + " bytes; dims " + dims_string(t.dims) + " need " +
                      std::to_string(count * sizeof(float)));
    }
    t.data.resize(static_cast<size_t>(count));
    if (count > 0) std::memcpy(t.data.data(), raw, raw_size);
  } else {
    if (float_data.size() != count) {
      return pb_error("float_data holds " + std::to_string(float_data.size()) + " values; dims " + dims_string(t.dims) +
                      " need " + std::to_string(count));
    }
    t.data = std::move(float_data);
  }
  *tensor = std::move(t);
  return rt::Status::Ok();
}

std::vector<uint8_t> serialize_tensor_proto(const HostTensor& tensor) {
  std::vector<uint8_t> out;
  std::vector<uint8_t> dims;
  for (int64_t d : tensor.dims) put_varint(&dims, static_cast<uint64_t>(d));
  if (!tensor.dims.empty()) put_bytes(&out, kDims, dims.data(), dims.size());
  put_tag(&out, kDataType, kVarint);
  put_varint(&out, kFloat);
  if (!tensor.name.empty()) {
    put_bytes(&out, kName, reinterpret_cast<const uint8_t*>(tensor.name.data()), tensor.name.size());
  }
  put_bytes(&out, kRawData, reinterpret_cast<const uint8_t*>(tensor.data.data()), tensor.data.size() * sizeof(float));
  return out;
}

}  // namespace bespoke::tools
