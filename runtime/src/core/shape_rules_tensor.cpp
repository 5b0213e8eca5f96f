// Shape rules of the element-wise and tensor-manipulation operators: fully
// connected, batch matmul, binary (broadcast), unary (activations, SQRT),
// softmax, concat, reshape, transpose, pad, reduce-mean, slice and split.
// Every vector read from an options table is length-checked against the rank
// before it is iterated.
#include <cmath>
#include <string>

#include "core/shape_rules.h"

namespace bespoke::rt::verify {
namespace {

Status check_axis(const OpCheck& check, int64_t axis, int rank) {
  if (axis < 0 || axis >= rank) {
    return check.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return Status::Ok();
}

// A per-dimension options vector must exist and have exactly `n` entries.
template <typename T>
Status check_length(const OpCheck& check, const flatbuffers::Vector<T>* v, size_t n, const char* what) {
  const size_t got = v != nullptr ? v->size() : 0;
  if (got != n) {
    return check.fail(std::string(what) + " has " + std::to_string(got) + " entries, expected " + std::to_string(n));
  }
  return Status::Ok();
}

int64_t at(const flatbuffers::Vector<int32_t>* v, int i) { return v->Get(static_cast<flatbuffers::uoffset_t>(i)); }

// NumPy broadcasting of the leading `a_rank` dims of `a` with the leading
// `b_rank` dims of `b`: align trailing dims; each pair is equal or has a 1.
// False if they do not broadcast.
bool broadcast_dims(const TensorInfo& a, int a_rank, const TensorInfo& b, int b_rank, Shape* y) {
  y->rank = a_rank > b_rank ? a_rank : b_rank;
  for (int i = 0; i < y->rank; ++i) {
    const int ia = a_rank - y->rank + i;
    const int ib = b_rank - y->rank + i;
    const int64_t da = ia >= 0 ? a.dim(ia) : 1;
    const int64_t db = ib >= 0 ? b.dim(ib) : 1;
    if (da != db && da != 1 && db != 1) return false;
    (*y)[i] = da == 1 ? db : da;
  }
  return true;
}

}  // namespace

Status fully_connected_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::FullyConnectedOptions& o = *check.op().options_as_FullyConnectedOptions();
  BSP_RETURN_IF_ERROR(check.require_min_rank(0, 1));
  BSP_RETURN_IF_ERROR(check.require_rank(1, 2));
  BSP_RETURN_IF_ERROR(check.require_constant(1));
  const TensorInfo& x = check.input(0);
  const TensorInfo& w = check.input(1);
  if (w.dim(1) != x.dim(x.rank - 1)) {
    return check.fail("weight " + check.input_label(1) + " has shape " + shape_string(w) +
                      " but the input's last dim is " + std::to_string(x.dim(x.rank - 1)));
  }
  BSP_RETURN_IF_ERROR(check.require_optional_vector(2, w.dim(0), "bias"));
  BSP_RETURN_IF_ERROR(check_fused_activation(check, o.activation()));
  Shape y = Shape::of(x);
  y[y.rank - 1] = w.dim(0);
  (*out)[0] = y;
  return Status::Ok();
}

Status batch_matmul_rule(const OpCheck& check, std::vector<Shape>* out) {
  // A [..., M, K] x B [..., K, N], each of rank 2 to 4 (FORMAT.md).
  for (int i = 0; i < 2; ++i) {
    const int rank = check.input(i).rank;
    if (rank < 2 || rank > 4) {
      return check.fail(check.input_label(i) + " has " + std::to_string(rank) + " dims, expected 2 to 4");
    }
  }
  const TensorInfo& a = check.input(0);
  const TensorInfo& b = check.input(1);
  if (a.dim(a.rank - 1) != b.dim(b.rank - 2)) {
    return check.fail("inputs of shapes " + shape_string(a) + " and " + shape_string(b) +
                      " do not multiply: A's last dim (K) must equal B's second-to-last");
  }
  Shape y;
  if (!broadcast_dims(a, a.rank - 2, b, b.rank - 2, &y)) {
    return check.fail("the batch dims of inputs of shapes " + shape_string(a) + " and " + shape_string(b) +
                      " do not broadcast");
  }
  y[y.rank++] = a.dim(a.rank - 2);
  y[y.rank++] = b.dim(b.rank - 1);
  (*out)[0] = y;
  return Status::Ok();
}

Status binary_rule(const OpCheck& check, std::vector<Shape>* out) {
  BSP_RETURN_IF_ERROR(check_fused_activation(check, check.op().options_as_BinaryOptions()->activation()));
  const TensorInfo& a = check.input(0);
  const TensorInfo& b = check.input(1);
  Shape y;
  if (!broadcast_dims(a, a.rank, b, b.rank, &y)) {
    return check.fail("inputs of shapes " + shape_string(a) + " and " + shape_string(b) + " do not broadcast");
  }
  (*out)[0] = y;
  return Status::Ok();
}

Status unary_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::Operator& op = check.op();
  if (const auto* clip = op.options_as_ClipOptions()) {
    if (!(clip->min() <= clip->max())) {
      return check.fail("min " + std::to_string(clip->min()) + " > max " + std::to_string(clip->max()));
    }
  } else if (const auto* leaky = op.options_as_LeakyReluOptions()) {
    if (!std::isfinite(leaky->alpha())) return check.fail("alpha is not finite");
  } else if (const auto* hs = op.options_as_HardSigmoidOptions()) {
    if (!std::isfinite(hs->alpha()) || !std::isfinite(hs->beta())) return check.fail("alpha or beta is not finite");
  }
  (*out)[0] = Shape::of(check.input(0));
  return Status::Ok();
}

Status softmax_rule(const OpCheck& check, std::vector<Shape>* out) {
  BSP_RETURN_IF_ERROR(check.require_min_rank(0, 1));
  BSP_RETURN_IF_ERROR(check_axis(check, check.op().options_as_SoftmaxOptions()->axis(), check.input(0).rank));
  (*out)[0] = Shape::of(check.input(0));
  return Status::Ok();
}

Status concat_rule(const OpCheck& check, std::vector<Shape>* out) {
  const int64_t axis = check.op().options_as_ConcatOptions()->axis();
  BSP_RETURN_IF_ERROR(check.require_min_rank(0, 1));
  const TensorInfo& first = check.input(0);
  BSP_RETURN_IF_ERROR(check_axis(check, axis, first.rank));
  Shape y = Shape::of(first);
  y[static_cast<int>(axis)] = 0;
  for (int i = 0; i < check.input_count(); ++i) {
    const TensorInfo& x = check.input(i);
    bool compatible = x.rank == first.rank;
    for (int d = 0; compatible && d < x.rank; ++d) compatible = d == axis || x.dim(d) == first.dim(d);
    if (!compatible) {
      return check.fail(check.input_label(i) + " has shape " + shape_string(x) + ", incompatible with " +
                        shape_string(first) + " for concatenation along axis " + std::to_string(axis));
    }
    y[static_cast<int>(axis)] += x.dim(static_cast<int>(axis));
  }
  (*out)[0] = y;
  return Status::Ok();
}

Status reshape_rule(const OpCheck& check, std::vector<Shape>* out) {
  const TensorInfo& x = check.input(0);
  const TensorInfo& y = check.output(0);
  if (x.element_count != y.element_count) {
    return check.fail("cannot reshape " + shape_string(x) + " (" + std::to_string(x.element_count) + " elements) to " +
                      shape_string(y) + " (" + std::to_string(y.element_count) + " elements)");
  }
  (*out)[0] = Shape::of(y);
  return Status::Ok();
}

Status transpose_rule(const OpCheck& check, std::vector<Shape>* out) {
  const auto* perm = check.op().options_as_TransposeOptions()->perm();
  const TensorInfo& x = check.input(0);
  BSP_RETURN_IF_ERROR(check_length(check, perm, static_cast<size_t>(x.rank), "perm"));
  Shape y;
  y.rank = x.rank;
  bool seen[kMaxRank] = {};
  for (int i = 0; i < x.rank; ++i) {
    const int64_t p = at(perm, i);
    if (p < 0 || p >= x.rank || seen[p])
      return check.fail("perm is not a permutation of 0.." + std::to_string(x.rank - 1));
    seen[p] = true;
    y[i] = x.dim(static_cast<int>(p));
  }
  (*out)[0] = y;
  return Status::Ok();
}

Status pad_rule(const OpCheck& check, std::vector<Shape>* out) {
  const auto* pads = check.op().options_as_PadOptions()->pads();
  const TensorInfo& x = check.input(0);
  BSP_RETURN_IF_ERROR(check_length(check, pads, static_cast<size_t>(2 * x.rank), "pads"));
  Shape y = Shape::of(x);
  for (int i = 0; i < x.rank; ++i) {
    const int64_t begin = at(pads, i);
    const int64_t end = at(pads, x.rank + i);
    if (begin < 0 || end < 0) return check.fail("pads along dim " + std::to_string(i) + " are negative");
    y[i] += begin + end;
  }
  (*out)[0] = y;
  return Status::Ok();
}

Status reduce_mean_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::ReduceOptions& o = *check.op().options_as_ReduceOptions();
  const TensorInfo& x = check.input(0);
  const auto* axes = o.axes();
  const size_t n = axes != nullptr ? axes->size() : 0;
  if (n == 0 || n > static_cast<size_t>(x.rank)) {
    return check.fail("axes has " + std::to_string(n) + " entries, expected 1 to " + std::to_string(x.rank));
  }
  bool reduced[kMaxRank] = {};
  int64_t previous = -1;
  for (size_t i = 0; i < n; ++i) {
    const int64_t a = at(axes, static_cast<int>(i));
    if (a <= previous || a >= x.rank) {
      return check.fail("axes must be ascending, unique and in [0, " + std::to_string(x.rank) + ")");
    }
    reduced[a] = true;
    previous = a;
  }
  Shape y;
  for (int d = 0; d < x.rank; ++d) {
    if (!reduced[d]) {
      y[y.rank++] = x.dim(d);
    } else if (o.keep_dims()) {
      y[y.rank++] = 1;
    }
  }
  (*out)[0] = y;
  return Status::Ok();
}

Status slice_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::SliceOptions& o = *check.op().options_as_SliceOptions();
  const TensorInfo& x = check.input(0);
  const auto rank = static_cast<size_t>(x.rank);
  BSP_RETURN_IF_ERROR(check_length(check, o.starts(), rank, "starts"));
  BSP_RETURN_IF_ERROR(check_length(check, o.ends(), rank, "ends"));
  BSP_RETURN_IF_ERROR(check_length(check, o.steps(), rank, "steps"));
  Shape y;
  y.rank = x.rank;
  for (int i = 0; i < x.rank; ++i) {
    const int64_t start = at(o.starts(), i);
    const int64_t end = at(o.ends(), i);
    const int64_t step = at(o.steps(), i);
    if (step < 1 || start < 0 || start >= end || end > x.dim(i)) {
      return check.fail("dim " + std::to_string(i) + ": start " + std::to_string(start) + ", end " +
                        std::to_string(end) + ", step " + std::to_string(step) +
                        " must satisfy 0 <= start < end <= " + std::to_string(x.dim(i)) + " and step >= 1");
    }
    y[i] = (end - start + step - 1) / step;
  }
  (*out)[0] = y;
  return Status::Ok();
}

Status split_rule(const OpCheck& check, std::vector<Shape>* out) {
  const fb::SplitOptions& o = *check.op().options_as_SplitOptions();
  const TensorInfo& x = check.input(0);
  BSP_RETURN_IF_ERROR(check.require_min_rank(0, 1));
  BSP_RETURN_IF_ERROR(check_axis(check, o.axis(), x.rank));
  BSP_RETURN_IF_ERROR(check_length(check, o.sizes(), static_cast<size_t>(check.output_count()), "sizes"));
  const int axis = o.axis();
  int64_t total = 0;
  for (int i = 0; i < check.output_count(); ++i) {
    const int64_t size = at(o.sizes(), i);
    if (size < 1)
      return check.fail("split size " + std::to_string(i) + " is " + std::to_string(size) + ", must be >= 1");
    total += size;
    Shape y = Shape::of(x);
    y[axis] = size;
    (*out)[static_cast<size_t>(i)] = y;
  }
  if (total != x.dim(axis)) {
    return check.fail("split sizes sum to " + std::to_string(total) + " but the input has " +
                      std::to_string(x.dim(axis)) + " along axis " + std::to_string(axis));
  }
  return Status::Ok();
}

}  // namespace bespoke::rt::verify
