// SingleOpModel: a model with exactly one operator, built step by step (graph
// inputs with their values, constants, outputs, the operator), then run on a
// backend through run_single_op (support/op_runner.h). The backend test
// helpers build on it (reference_test_util.h, xnnpack_test_util.h).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backends/backend.h"
#include "support/model_builder.h"
#include "support/op_runner.h"
#include "support/test_values.h"

namespace bespoke::test {

class SingleOpModel {
 public:
  ModelBuilder& builder() { return builder_; }
  flatbuffers::FlatBufferBuilder& fbb() { return builder_.fbb(); }

  // A graph input with the given values (logical NCHW order).
  int input(const std::vector<int32_t>& shape, std::vector<float> values) {
    REQUIRE(values.size() == element_count(shape));
    inputs_.push_back(std::move(values));
    return builder_.add_input("in" + std::to_string(inputs_.size() - 1), shape);
  }
  int constant(const std::vector<int32_t>& shape, const std::vector<float>& values) {
    REQUIRE(values.size() == element_count(shape));
    return builder_.add_constant("const" + std::to_string(next_name_++), shape, values);
  }
  int output(const std::vector<int32_t>& shape) {
    const int t = builder_.add_tensor("out" + std::to_string(next_name_++), shape);
    builder_.mark_output(t);
    return t;
  }
  void op(fb::OpCode code, const std::vector<int32_t>& inputs, const std::vector<int32_t>& outputs,
          fb::OperatorOptions type = fb::OperatorOptions::NONE, flatbuffers::Offset<void> options = 0) {
    builder_.add_op(code, inputs, outputs, type, options, "op");
  }

  // Runs on `backend` (a new reference backend by default) and REQUIREs success.
  std::vector<std::vector<float>> run(int num_threads = 1, rt::Backend* backend = nullptr) {
    OpRunResult result = try_run(num_threads, backend);
    INFO((backend != nullptr ? backend->name() : "reference") << ": " << result.status.message());
    REQUIRE(result.status.ok());
    return result.outputs;
  }
  OpRunResult try_run(int num_threads = 1, rt::Backend* backend = nullptr) {
    std::unique_ptr<rt::Backend> reference;
    if (backend == nullptr) {
      reference = rt::make_reference_backend();
      backend = reference.get();
    }
    return run_single_op(*backend, bytes(), inputs_, num_threads);
  }

  // The finished .bspk file (the model cannot change after this).
  const std::vector<uint8_t>& bytes() {
    if (model_.empty()) model_ = builder_.finish();
    return model_;
  }

 private:
  ModelBuilder builder_;
  std::vector<std::vector<float>> inputs_;
  std::vector<uint8_t> model_;
  int next_name_ = 0;
};

}  // namespace bespoke::test
