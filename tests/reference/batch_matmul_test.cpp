// BATCH_MATMUL on the reference backend against a naive triple loop (in
// double) over the numpy-broadcast batch dims: ranks 2 to 4, operands of
// different rank, size-1 batch dims on either side, a constant B, and the
// same result with 1 and 2 threads. No LibTorch here. Tolerance: kRtol / kAtol
// (float accumulation vs double).
#include <algorithm>

#include "reference/reference_test_util.h"

namespace bespoke::test {
namespace {

// Row-major strides of `shape`.
std::vector<size_t> strides_of(const std::vector<int32_t>& shape) {
  std::vector<size_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * static_cast<size_t>(shape[i]);
  return strides;
}

// The broadcast output shape of A [..., M, K] x B [..., K, N].
std::vector<int32_t> matmul_shape(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  const size_t batch_rank = std::max(a.size(), b.size()) - 2;
  std::vector<int32_t> out(batch_rank, 1);
  for (size_t i = 0; i < batch_rank; ++i) {
    const size_t from_right = batch_rank - i;  // 1 = innermost batch dim
    const int32_t da = a.size() - 2 >= from_right ? a[a.size() - 2 - from_right] : 1;
    const int32_t db = b.size() - 2 >= from_right ? b[b.size() - 2 - from_right] : 1;
    out[i] = std::max(da, db);
  }
  out.push_back(a[a.size() - 2]);
  out.push_back(b.back());
  return out;
}

// Offset of the matrix of `t` that output batch index `batch` (multi-index
// over the output's batch dims) reads: broadcast dims repeat index 0.
size_t matrix_offset(const std::vector<int32_t>& t, const std::vector<size_t>& batch) {
  const std::vector<size_t> strides = strides_of(t);
  const size_t t_batch_rank = t.size() - 2;
  size_t offset = 0;
  for (size_t i = 0; i < t_batch_rank; ++i) {
    const size_t out_i = batch.size() - t_batch_rank + i;
    if (t[i] != 1) offset += batch[out_i] * strides[i];
  }
  return offset;
}

std::vector<float> naive_matmul(const std::vector<float>& a, const std::vector<int32_t>& a_shape,
                                const std::vector<float>& b, const std::vector<int32_t>& b_shape) {
  const std::vector<int32_t> y_shape = matmul_shape(a_shape, b_shape);
  const size_t m_count = static_cast<size_t>(a_shape[a_shape.size() - 2]);
  const size_t k_count = static_cast<size_t>(a_shape.back());
  const size_t n_count = static_cast<size_t>(b_shape.back());
  const std::vector<int32_t> batch_shape(y_shape.begin(), y_shape.end() - 2);
  const size_t batches = element_count(batch_shape);
  std::vector<float> y(batches * m_count * n_count);
  std::vector<size_t> batch(batch_shape.size(), 0);
  for (size_t index = 0; index < batches; ++index) {
    size_t rest = index;
    for (size_t d = batch.size(); d-- > 0;) {
      batch[d] = rest % static_cast<size_t>(batch_shape[d]);
      rest /= static_cast<size_t>(batch_shape[d]);
    }
    const float* am = a.data() + matrix_offset(a_shape, batch);
    const float* bm = b.data() + matrix_offset(b_shape, batch);
    for (size_t m = 0; m < m_count; ++m) {
      for (size_t n = 0; n < n_count; ++n) {
        double sum = 0.0;
        for (size_t k = 0; k < k_count; ++k) sum += static_cast<double>(am[m * k_count + k]) * bm[k * n_count + n];
        y[(index * m_count + m) * n_count + n] = static_cast<float>(sum);
      }
    }
  }
  return y;
}

struct MatmulCase {
  std::vector<int32_t> a, b, expected_out;
  bool b_constant = false;
};

void check_matmul(const MatmulCase& c, uint32_t seed) {
  INFO(shape_text(c.a) << " x " << shape_text(c.b) << (c.b_constant ? " (constant B)" : ""));
  const std::vector<int32_t> out = matmul_shape(c.a, c.b);
  REQUIRE(out == c.expected_out);
  const auto a = random_values(element_count(c.a), seed);
  const auto b = random_values(element_count(c.b), seed + 1);
  const std::vector<float> expected = naive_matmul(a, c.a, b, c.b);
  for (int threads : {1, 2}) {
    INFO(threads << " threads");
    SingleOpModel model;
    const int ai = model.input(c.a, a);
    const int bi = c.b_constant ? model.constant(c.b, b) : model.input(c.b, b);
    const int yi = model.output(out);
    model.op(fb::OpCode::BATCH_MATMUL, {ai, bi}, {yi});
    check_close(model.run(threads)[0], expected);
  }
}

TEST_CASE("BATCH_MATMUL matches a naive loop over broadcast batch dims") {
  const std::vector<MatmulCase> cases = {
      {{3, 4}, {4, 5}, {3, 5}},                      // rank 2 x rank 2
      {{2, 3, 4}, {4, 5}, {2, 3, 5}},                // rank 3 x rank 2: B shared by every batch
      {{3, 4}, {2, 4, 5}, {2, 3, 5}},                // rank 2 x rank 3: A shared
      {{2, 3, 4}, {2, 4, 5}, {2, 3, 5}},             // equal batch dims
      {{2, 1, 3, 4}, {3, 4, 5}, {2, 3, 3, 5}},       // both sides broadcast
      {{1, 3, 3, 4}, {2, 1, 4, 5}, {2, 3, 3, 5}},    // size-1 dims on both operands
      {{2, 3, 4, 6}, {2, 3, 6, 2}, {2, 3, 4, 2}},    // rank 4, no broadcasting
      {{2, 3, 7, 16}, {16, 9}, {2, 3, 7, 9}, true},  // constant weight
      {{1, 1}, {1, 1}, {1, 1}},                      // 1 x 1
      {{4, 33, 65}, {4, 65, 17}, {4, 33, 17}},       // K not a multiple of anything
  };
  uint32_t seed = 7000;
  for (const MatmulCase& c : cases) {
    check_matmul(c, seed);
    seed += 10;
  }
}

TEST_CASE("BATCH_MATMUL: hand-computed 2x2 products, broadcast over the batch") {
  // A = [[1, 2], [3, 4]] and [[0, 1], [1, 0]]; B = [[5, 6], [7, 8]] for both.
  SingleOpModel model;
  const int a = model.input({2, 2, 2}, {1, 2, 3, 4, 0, 1, 1, 0});
  const int b = model.constant({2, 2}, {5, 6, 7, 8});
  const int y = model.output({2, 2, 2});
  model.op(fb::OpCode::BATCH_MATMUL, {a, b}, {y});
  CHECK(model.run()[0] == std::vector<float>{19, 22, 43, 50, 7, 8, 5, 6});
}

}  // namespace
}  // namespace bespoke::test
