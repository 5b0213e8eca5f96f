#include "onnx_import/tensor_conversion.h"

#include <cmath>
#include <cstring>

#include "ir/op_params.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::onnx_import::detail {

namespace {

using onnx::TensorProto;

[[noreturn]] void fail(const std::string& message) { throw ImportError(message); }

// Bytes per element in raw_data; 0 for types without a fixed size.
size_t raw_element_size(int32_t type) {
  switch (type) {
    case TensorProto::FLOAT: return 4;
    case TensorProto::UINT8: return 1;
    case TensorProto::INT8: return 1;
    case TensorProto::UINT16: return 2;
    case TensorProto::INT16: return 2;
    case TensorProto::INT32: return 4;
    case TensorProto::INT64: return 8;
    case TensorProto::BOOL: return 1;
    case TensorProto::FLOAT16: return 2;
    case TensorProto::DOUBLE: return 8;
    case TensorProto::UINT32: return 4;
    case TensorProto::UINT64: return 8;
    case TensorProto::BFLOAT16: return 2;
    default: return 0;
  }
}

bool is_floating(int32_t type) {
  return type == TensorProto::FLOAT || type == TensorProto::DOUBLE || type == TensorProto::FLOAT16 ||
         type == TensorProto::BFLOAT16;
}

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0) {  // zero or subnormal
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  uint32_t bits =
      exponent == 31 ? (sign | 0x7f800000u | (mantissa << 13)) : (sign | ((exponent + 112u) << 23) | (mantissa << 13));
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float bfloat16_to_float(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Element i of raw little-endian data of ONNX type `type`, as a double.
double raw_as_double(int32_t type, const uint8_t* p) {
  switch (type) {
    case TensorProto::FLOAT: return load<float>(p);
    case TensorProto::DOUBLE: return load<double>(p);
    case TensorProto::FLOAT16: return half_to_float(load<uint16_t>(p));
    case TensorProto::BFLOAT16: return bfloat16_to_float(load<uint16_t>(p));
    default: return 0.0;
  }
}

int64_t raw_as_int(int32_t type, const uint8_t* p) {
  switch (type) {
    case TensorProto::UINT8: return load<uint8_t>(p);
    case TensorProto::INT8: return load<int8_t>(p);
    case TensorProto::UINT16: return load<uint16_t>(p);
    case TensorProto::INT16: return load<int16_t>(p);
    case TensorProto::INT32: return load<int32_t>(p);
    case TensorProto::INT64: return load<int64_t>(p);
    case TensorProto::BOOL: return load<uint8_t>(p) != 0;
    case TensorProto::UINT32: return load<uint32_t>(p);
    case TensorProto::UINT64: return static_cast<int64_t>(load<uint64_t>(p));
    default: return 0;
  }
}

// Element i of the typed (non-raw) storage field that ONNX uses for `type`.
double typed_as_double(const TensorProto& t, int64_t i) {
  const int idx = static_cast<int>(i);
  switch (t.data_type()) {
    case TensorProto::FLOAT: return t.float_data(idx);
    case TensorProto::DOUBLE: return t.double_data(idx);
    case TensorProto::FLOAT16: return half_to_float(static_cast<uint16_t>(t.int32_data(idx)));
    case TensorProto::BFLOAT16: return bfloat16_to_float(static_cast<uint16_t>(t.int32_data(idx)));
    default: return 0.0;
  }
}

int64_t typed_as_int(const TensorProto& t, int64_t i) {
  const int idx = static_cast<int>(i);
  switch (t.data_type()) {
    case TensorProto::INT64: return t.int64_data(idx);
    case TensorProto::UINT32:
    case TensorProto::UINT64: return static_cast<int64_t>(t.uint64_data(idx));
    case TensorProto::BOOL: return t.int32_data(idx) != 0;
    default: return t.int32_data(idx);  // INT32, INT16, INT8, UINT16, UINT8
  }
}

int64_t typed_count(const TensorProto& t) {
  switch (t.data_type()) {
    case TensorProto::FLOAT: return t.float_data_size();
    case TensorProto::DOUBLE: return t.double_data_size();
    case TensorProto::INT64: return t.int64_data_size();
    case TensorProto::UINT32:
    case TensorProto::UINT64: return t.uint64_data_size();
    default: return t.int32_data_size();
  }
}

void store(ir::TensorData& out, int64_t i, double f, int64_t n, bool floating) {
  uint8_t* p = out.bytes.data() + static_cast<size_t>(i) * ir::dtype_size(out.dtype);
  auto put = [p](auto v) { std::memcpy(p, &v, sizeof v); };
  switch (out.dtype) {
    case ir::DType::kF32: put(static_cast<float>(floating ? f : static_cast<double>(n))); break;
    case ir::DType::kI8: put(static_cast<int8_t>(n)); break;
    case ir::DType::kU8: put(static_cast<uint8_t>(n)); break;
    case ir::DType::kI32: put(static_cast<int32_t>(n)); break;
    case ir::DType::kI64: put(static_cast<int64_t>(n)); break;
    case ir::DType::kBool: put(static_cast<uint8_t>(n != 0)); break;
  }
}

}  // namespace

std::string onnx_type_name(int32_t elem_type) {
  if (TensorProto::DataType_IsValid(elem_type))
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(elem_type));
  return "type " + std::to_string(elem_type);
}

ir::TensorData tensor_from_proto(const TensorProto& t, const std::string& where) {
  const int32_t type = t.data_type();
  const auto dtype = ir::dtype_from_onnx(type);
  const size_t raw_size = raw_element_size(type);
  if (!dtype || raw_size == 0)
    fail(where + " has data type " + onnx_type_name(type) +
         ", which is not supported (floating point, integer and bool tensors are)");
  if (t.data_location() == TensorProto::EXTERNAL)
    fail(where + " stores its data in an external file, which is not supported");
  if (t.has_segment()) fail(where + " is a segment of a larger tensor, which is not supported");

  ir::TensorData out;
  out.dtype = *dtype;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0) fail(where + " has a negative dimension (" + std::to_string(d) + ")");
    if (d > 0 && count > kMaxTensorBytes / d) fail(where + " is too large (over 2 GiB)");
    count *= d;
    out.shape.push_back(d);
  }
  const int64_t bytes = count * static_cast<int64_t>(ir::dtype_size(out.dtype));
  if (bytes > kMaxTensorBytes || count * static_cast<int64_t>(raw_size) > kMaxTensorBytes)
    fail(where + " is too large (over 2 GiB)");
  const bool floating = is_floating(type);
  const std::string kind = onnx_type_name(type) + ir::shape_string(out.shape);
  // The stored data must match the dims before anything is allocated from them.
  const bool raw_storage = !t.raw_data().empty();
  if (raw_storage) {
    const auto expected = static_cast<size_t>(count) * raw_size;
    if (t.raw_data().size() != expected)
      fail(where + ": raw_data holds " + std::to_string(t.raw_data().size()) + " bytes, expected " +
           std::to_string(expected) + " for " + kind);
  } else if (typed_count(t) != count) {
    fail(where + ": holds " + std::to_string(typed_count(t)) + " values, expected " + std::to_string(count) + " for " +
         kind + (typed_count(t) == 0 ? " (no data)" : ""));
  }
  out.bytes.resize(static_cast<size_t>(bytes));

  if (raw_storage) {
    const std::string& raw = t.raw_data();
    const auto* src = reinterpret_cast<const uint8_t*>(raw.data());
    if (raw_size == ir::dtype_size(out.dtype) && type != TensorProto::BOOL &&
        (floating ? out.dtype == ir::DType::kF32 && type == TensorProto::FLOAT : out.dtype != ir::DType::kF32)) {
      if (!out.bytes.empty()) std::memcpy(out.bytes.data(), src, out.bytes.size());  // same layout
      return out;
    }
    for (int64_t i = 0; i < count; ++i) {
      const uint8_t* p = src + static_cast<size_t>(i) * raw_size;
      store(out, i, floating ? raw_as_double(type, p) : 0.0, floating ? 0 : raw_as_int(type, p), floating);
    }
    return out;
  }
  for (int64_t i = 0; i < count; ++i)
    store(out, i, floating ? typed_as_double(t, i) : 0.0, floating ? 0 : typed_as_int(t, i), floating);
  return out;
}

std::optional<ir::Attribute> attribute_from_proto(const onnx::AttributeProto& a, const std::string& where) {
  using onnx::AttributeProto;
  auto type = a.type();
  if (type == AttributeProto::UNDEFINED) {  // IR version 1 files did not record the type
    if (a.has_f())
      type = AttributeProto::FLOAT;
    else if (a.has_i())
      type = AttributeProto::INT;
    else if (a.has_s())
      type = AttributeProto::STRING;
    else if (a.has_t())
      type = AttributeProto::TENSOR;
    else if (a.floats_size() > 0)
      type = AttributeProto::FLOATS;
    else if (a.ints_size() > 0)
      type = AttributeProto::INTS;
  }
  // Built in place: moving a variant into an optional trips GCC 12's
  // -Wmaybe-uninitialized under the sanitizers.
  std::optional<ir::Attribute> out;
  switch (type) {
    case AttributeProto::FLOAT: out.emplace(std::in_place_type<double>, a.f()); break;
    case AttributeProto::INT: out.emplace(std::in_place_type<int64_t>, a.i()); break;
    case AttributeProto::STRING: out.emplace(std::in_place_type<std::string>, a.s()); break;
    case AttributeProto::INTS:
      out.emplace(std::in_place_type<std::vector<int64_t>>, a.ints().begin(), a.ints().end());
      break;
    case AttributeProto::FLOATS:
      out.emplace(std::in_place_type<std::vector<double>>, a.floats().begin(), a.floats().end());
      break;
    case AttributeProto::TENSOR: {
      for (int64_t d : a.t().dims())
        if (d != 1) return std::nullopt;  // only one-element tensors have a scalar form
      const ir::TensorData scalar = tensor_from_proto(a.t(), where + " attribute '" + a.name() + "'");
      if (scalar.dtype == ir::DType::kF32)
        out.emplace(std::in_place_type<double>, scalar.float_at(0));
      else
        out.emplace(std::in_place_type<int64_t>, scalar.int_at(0));
      break;
    }
    default: break;
  }
  return out;
}

}  // namespace bespoke::onnx_import::detail
