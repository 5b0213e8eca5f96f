// The ONNX backend test data layout (libonnx-testdata): one directory per
// test with model.onnx and test_data_set_*/{input,output}_<i>.pb, each .pb a
// serialized TensorProto. Parsed with ONNX's own protobuf classes.
#pragma once

#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "harness/float_tensor.h"

namespace bespoke::test::conformance {

struct OnnxTestCase {
  std::string name;  // directory name, e.g. "test_conv_with_strides_padding"
  std::string dir;   // absolute directory
};

struct DataSet {
  std::string dir;
  std::vector<onnx::TensorProto> inputs;   // input_0.pb, input_1.pb, ...
  std::vector<onnx::TensorProto> outputs;  // output_0.pb, ...
};

// Test directories (those holding a model.onnx) of one suite folder, sorted by name.
std::vector<OnnxTestCase> list_test_cases(const std::string& suite_dir);

// Throws std::runtime_error naming the file when it cannot be read or parsed.
onnx::ModelProto read_model(const std::string& path);
std::vector<DataSet> read_data_sets(const std::string& case_dir);

// Names of the graph inputs that are not initializers (what the test data feeds).
std::vector<std::string> runtime_input_names(const onnx::ModelProto& model);

// "" when the value is a tensor, else what it is ("sequence", "optional", "map", ...):
// such values' .pb files are not TensorProtos.
std::string non_tensor_kind(const onnx::ValueInfoProto& value);

// "FLOAT", "INT64", ... for messages.
std::string element_type_name(int32_t data_type);

// True and fills `out` when `t` holds float32 data (raw_data or float_data);
// otherwise sets `why` and returns false.
bool to_float_tensor(const onnx::TensorProto& t, test::e2e::FloatTensor* out, std::string* why);

}  // namespace bespoke::test::conformance
