#include "ir/tensor_kernels.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace bespoke::ir {

namespace {

std::vector<int64_t> contiguous_strides(const Shape& s) {
  std::vector<int64_t> strides(s.size(), 1);
  for (size_t d = s.size(); d-- > 1;) strides[d - 1] = strides[d] * s[d];
  return strides;
}

// Walks the elements of `out` in row-major order, keeping for each source the
// flat offset sum(index[d] * strides[d]) + base (strides may be 0 or negative).
class StridedCursor {
 public:
  StridedCursor(const Shape& out, std::vector<std::vector<int64_t>> strides, std::vector<int64_t> base)
      : out_(out), index_(out.size(), 0), strides_(std::move(strides)), offset(std::move(base)) {}

  void next() {
    for (size_t d = out_.size(); d-- > 0;) {
      ++index_[d];
      for (size_t k = 0; k < offset.size(); ++k) offset[k] += strides_[k][d];
      if (index_[d] < out_[d]) return;
      for (size_t k = 0; k < offset.size(); ++k) offset[k] -= strides_[k][d] * out_[d];
      index_[d] = 0;
    }
  }

 private:
  Shape out_;
  std::vector<int64_t> index_;
  std::vector<std::vector<int64_t>> strides_;

 public:
  std::vector<int64_t> offset;
};

// Strides reading `in` as if broadcast to `out` (right-aligned, size-1 dims repeat).
std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  const std::vector<int64_t> own = contiguous_strides(in);
  std::vector<int64_t> strides(out.size(), 0);
  const size_t lead = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) strides[lead + d] = in[d] == 1 ? 0 : own[d];
  return strides;
}

void copy_element(const TensorData& in, int64_t from, TensorData& out, int64_t to) {
  const size_t es = dtype_size(in.dtype);
  std::memcpy(out.bytes.data() + static_cast<size_t>(to) * es, in.bytes.data() + static_cast<size_t>(from) * es, es);
}

}  // namespace

bool is_float(DType t) { return t == DType::kF32; }

TensorData zero_tensor(DType dtype, const Shape& shape) {
  TensorData t;
  t.dtype = dtype;
  t.shape = shape;
  t.bytes.assign(static_cast<size_t>(shape_elements(shape)) * dtype_size(dtype), 0);
  return t;
}

int64_t load_int(const TensorData& t, int64_t i) {
  if (t.dtype != DType::kF32) return t.int_at(i);
  const double d = t.as<float>()[i];
  if (std::isnan(d)) return 0;
  if (d >= 9.2e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

double load_float(const TensorData& t, int64_t i) { return t.float_at(i); }

void store_int(TensorData& t, int64_t i, int64_t v) {
  switch (t.dtype) {
    case DType::kF32: t.as<float>()[i] = static_cast<float>(v); break;
    case DType::kI8: t.as<int8_t>()[i] = static_cast<int8_t>(v); break;
    case DType::kU8: t.as<uint8_t>()[i] = static_cast<uint8_t>(v); break;
    case DType::kI32: t.as<int32_t>()[i] = static_cast<int32_t>(v); break;
    case DType::kI64: t.as<int64_t>()[i] = v; break;
    case DType::kBool: t.as<uint8_t>()[i] = v != 0; break;
  }
}

void store_float(TensorData& t, int64_t i, double v) {
  if (t.dtype == DType::kF32) {
    t.as<float>()[i] = static_cast<float>(v);
  } else if (t.dtype == DType::kBool) {
    t.as<uint8_t>()[i] = v != 0;
  } else {
    int64_t x = 0;  // saturating, NaN -> 0: no undefined float -> int conversion
    if (!std::isnan(v))
      x = v >= 9.2e18    ? std::numeric_limits<int64_t>::max()
          : v <= -9.2e18 ? std::numeric_limits<int64_t>::min()
                         : static_cast<int64_t>(v);
    store_int(t, i, x);
  }
}

TensorData cast_tensor(const TensorData& in, DType to) {
  TensorData out = zero_tensor(to, in.shape);
  const int64_t count = in.elements();
  for (int64_t i = 0; i < count; ++i) {
    if (is_float(in.dtype))
      store_float(out, i, load_float(in, i));
    else
      store_int(out, i, load_int(in, i));
  }
  return out;
}

std::optional<TensorData> map_elements(const std::vector<const TensorData*>& inputs, const Shape& out_shape,
                                       DType out_dtype, const IntOp& int_op, const FloatOp& float_op) {
  bool use_float = false;
  std::vector<std::vector<int64_t>> strides;
  for (const TensorData* t : inputs) {
    use_float = use_float || is_float(t->dtype);
    strides.push_back(broadcast_strides(t->shape, out_shape));
  }
  TensorData out = zero_tensor(out_dtype, out_shape);
  StridedCursor cursor(out_shape, std::move(strides), std::vector<int64_t>(inputs.size(), 0));
  std::vector<int64_t> ints(inputs.size());
  std::vector<double> floats(inputs.size());
  const int64_t count = out.elements();
  for (int64_t i = 0; i < count; ++i, cursor.next()) {
    if (use_float) {
      for (size_t k = 0; k < inputs.size(); ++k) floats[k] = load_float(*inputs[k], cursor.offset[k]);
      store_float(out, i, float_op(floats));
    } else {
      for (size_t k = 0; k < inputs.size(); ++k) ints[k] = load_int(*inputs[k], cursor.offset[k]);
      const std::optional<int64_t> v = int_op(ints);
      if (!v) return std::nullopt;
      store_int(out, i, *v);
    }
  }
  return out;
}

TensorData transpose_tensor(const TensorData& in, const std::vector<int64_t>& perm) {
  const std::vector<int64_t> own = contiguous_strides(in.shape);
  Shape out_shape;
  std::vector<int64_t> strides;
  for (int64_t p : perm) {
    out_shape.push_back(in.shape[static_cast<size_t>(p)]);
    strides.push_back(own[static_cast<size_t>(p)]);
  }
  TensorData out = zero_tensor(in.dtype, out_shape);
  StridedCursor cursor(out_shape, {strides}, {0});
  for (int64_t i = 0; i < out.elements(); ++i, cursor.next()) copy_element(in, cursor.offset[0], out, i);
  return out;
}

TensorData slice_tensor(const TensorData& in, const std::vector<SliceDim>& dims) {
  const std::vector<int64_t> own = contiguous_strides(in.shape);
  Shape out_shape;
  std::vector<int64_t> strides;
  int64_t base = 0;
  for (size_t d = 0; d < dims.size(); ++d) {
    out_shape.push_back(dims[d].count);
    strides.push_back(own[d] * dims[d].step);
    base += dims[d].start * own[d];
  }
  TensorData out = zero_tensor(in.dtype, out_shape);
  StridedCursor cursor(out_shape, {strides}, {base});
  for (int64_t i = 0; i < out.elements(); ++i, cursor.next()) copy_element(in, cursor.offset[0], out, i);
  return out;
}

TensorData concat_tensors(const std::vector<const TensorData*>& inputs, size_t axis) {
  Shape out_shape = inputs.at(0)->shape;
  out_shape[axis] = 0;
  for (const TensorData* t : inputs) out_shape[axis] += t->shape[axis];
  TensorData out = zero_tensor(inputs[0]->dtype, out_shape);
  const size_t es = dtype_size(out.dtype);
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= out_shape[d];
  for (size_t d = axis + 1; d < out_shape.size(); ++d) inner *= out_shape[d];
  uint8_t* dst = out.bytes.data();
  for (int64_t o = 0; o < outer; ++o)
    for (const TensorData* t : inputs) {
      const size_t chunk = static_cast<size_t>(t->shape[axis] * inner) * es;
      std::memcpy(dst, t->bytes.data() + static_cast<size_t>(o) * chunk, chunk);
      dst += chunk;
    }
  return out;
}

TensorData expand_tensor(const TensorData& in, const Shape& out_shape) {
  TensorData out = zero_tensor(in.dtype, out_shape);
  StridedCursor cursor(out_shape, {broadcast_strides(in.shape, out_shape)}, {0});
  for (int64_t i = 0; i < out.elements(); ++i, cursor.next()) copy_element(in, cursor.offset[0], out, i);
  return out;
}

std::optional<TensorData> gather_tensor(const TensorData& in, const TensorData& indices, size_t axis) {
  Shape out_shape(in.shape.begin(), in.shape.begin() + static_cast<std::ptrdiff_t>(axis));
  out_shape.insert(out_shape.end(), indices.shape.begin(), indices.shape.end());
  out_shape.insert(out_shape.end(), in.shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1, in.shape.end());
  TensorData out = zero_tensor(in.dtype, out_shape);
  const size_t es = dtype_size(in.dtype);
  const int64_t dim = in.shape[axis];
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= in.shape[d];
  for (size_t d = axis + 1; d < in.shape.size(); ++d) inner *= in.shape[d];
  const int64_t count = indices.elements();
  const size_t chunk = static_cast<size_t>(inner) * es;
  uint8_t* dst = out.bytes.data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < count; ++k) {
      int64_t idx = load_int(indices, k);
      if (idx < -dim || idx >= dim) return std::nullopt;
      if (idx < 0) idx += dim;
      std::memcpy(dst, in.bytes.data() + static_cast<size_t>(o * dim + idx) * chunk, chunk);
      dst += chunk;
    }
  return out;
}

}  // namespace bespoke::ir
