// Tensor files of the tools: .npy (v1/v2/v3 headers) and ONNX TensorProto
// (.pb) through the hand-written wire-format codec. Checked against ONNX's
// own test data, hand-encoded bytes and round trips; malformed files fail
// with messages.
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tensor_io/npy.h"
#include "tensor_io/tensor_file.h"
#include "tensor_io/tensor_proto.h"

namespace bespoke::tools {
namespace {

std::vector<uint8_t> bytes_of(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

void append_float(std::vector<uint8_t>* out, float f) {
  uint8_t b[4];
  std::memcpy(b, &f, 4);
  out->insert(out->end(), b, b + 4);
}

HostTensor sample() { return HostTensor{"probs", {2, 3}, {1.5f, -2.0f, 0.0f, 3.25f, 1e-7f, -0.5f}}; }

TEST_CASE("TensorProto: ONNX test data decodes (relu output = max(0, input))") {
  const std::string dir = "/usr/share/libonnx-testdata/data/node/test_relu/test_data_set_0/";
  if (!std::filesystem::exists(dir + "input_0.pb")) {
    MESSAGE("libonnx-testdata not installed; skipped");
    return;
  }
  HostTensor x, y;
  REQUIRE(read_tensor_file(dir + "input_0.pb", &x).ok());
  REQUIRE(read_tensor_file(dir + "output_0.pb", &y).ok());
  CHECK(x.name == "x");
  CHECK(x.dims == std::vector<int64_t>{3, 4, 5});
  REQUIRE(x.data.size() == 60);
  REQUIRE(y.data.size() == 60);
  for (size_t i = 0; i < 60; ++i) CHECK(y.data[i] == (x.data[i] > 0 ? x.data[i] : 0.0f));
}

TEST_CASE("TensorProto: float_data packed and unpacked, unknown fields skipped") {
  // dims [2] unpacked (08 02), data_type FLOAT (10 01), doc_string (62 01 'z'),
  // float_data packed (22 08 ...) and then one unpacked value (25 ...): 3 values.
  std::vector<uint8_t> packed{0x08, 0x03, 0x10, 0x01, 0x62, 0x01, 'z', 0x22, 0x08};
  append_float(&packed, 1.0f);
  append_float(&packed, -2.5f);
  packed.push_back(0x25);
  append_float(&packed, 4.0f);
  HostTensor t;
  const rt::Status s = parse_tensor_proto(packed, &t);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(t.data == std::vector<float>{1.0f, -2.5f, 4.0f});
  CHECK(t.name.empty());

  std::vector<uint8_t> wrong_count{0x08, 0x04, 0x10, 0x01, 0x25};
  append_float(&wrong_count, 1.0f);
  CHECK(parse_tensor_proto(wrong_count, &t).message().find("float_data holds 1 values") != std::string::npos);
  const std::vector<uint8_t> int64_type{0x08, 0x01, 0x10, 0x07, 0x4a, 0x08, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(parse_tensor_proto(int64_type, &t).code() == rt::StatusCode::kUnsupported);
  const std::vector<uint8_t> truncated{0x08, 0x01, 0x10, 0x01, 0x4a, 0x08, 0, 0};
  CHECK(parse_tensor_proto(truncated, &t).message().find("truncated raw_data") != std::string::npos);
  const std::vector<uint8_t> endless_varint(20, 0xff);
  CHECK(!parse_tensor_proto(endless_varint, &t).ok());
  // A negative dim (10-byte varint) is rejected, not allocated.
  const std::vector<uint8_t> negative{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x10, 0x01};
  CHECK(parse_tensor_proto(negative, &t).message().find("too large") != std::string::npos);
}

TEST_CASE("TensorProto and npy round trips") {
  const HostTensor original = sample();
  HostTensor back;
  REQUIRE(parse_tensor_proto(serialize_tensor_proto(original), &back).ok());
  CHECK(back.name == original.name);
  CHECK(back.dims == original.dims);
  CHECK(back.data == original.data);
  REQUIRE(parse_npy(serialize_npy(original), &back).ok());
  CHECK(back.dims == original.dims);
  CHECK(back.data == original.data);
  // Data starts 64-byte aligned in our .npy files.
  const auto npy = serialize_npy(original);
  CHECK((npy.size() - 6 * sizeof(float)) % 64 == 0);
  // 0-d and 1-d shapes.
  for (const HostTensor& t : {HostTensor{"", {}, {7.0f}}, HostTensor{"", {4}, {1, 2, 3, 4}}}) {
    REQUIRE(parse_npy(serialize_npy(t), &back).ok());
    CHECK(back.dims == t.dims);
    CHECK(back.data == t.data);
  }
}

TEST_CASE("npy: v1, v2 and v3 headers as NumPy writes them; bad files rejected") {
  const auto make = [](int version, const std::string& dict, size_t n_floats) {
    std::string header = dict;
    header += '\n';
    std::vector<uint8_t> out = bytes_of("\x93NUMPY");
    out.push_back(static_cast<uint8_t>(version));
    out.push_back(0);
    const size_t len_bytes = version == 1 ? 2 : 4;
    for (size_t i = 0; i < len_bytes; ++i) out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    for (size_t i = 0; i < n_floats; ++i) append_float(&out, static_cast<float>(i));
    return out;
  };
  HostTensor t;
  for (int version : {1, 2, 3}) {
    const auto file = make(version, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 6);
    const rt::Status s = parse_npy(file, &t);
    REQUIRE_MESSAGE(s.ok(), s.message());
    CHECK(t.dims == std::vector<int64_t>{2, 3});
    CHECK(t.data[5] == 5.0f);
  }
  CHECK(
      parse_npy(make(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 4), &t).message().find("'<f8'") !=
      std::string::npos);
  CHECK(parse_npy(make(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 2), &t).code() ==
        rt::StatusCode::kUnsupported);
  CHECK(parse_npy(make(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 2), &t)
            .message()
            .find("holds 8 data bytes") != std::string::npos);
  CHECK(parse_npy(make(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", 0), &t)
            .message()
            .find("too large") != std::string::npos);
  CHECK(!parse_npy(bytes_of("hello world"), &t).ok());
  auto truncated = make(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 2);
  truncated.resize(20);
  CHECK(parse_npy(truncated, &t).message().find("truncated header") != std::string::npos);
}

TEST_CASE("tensor files: by extension, with clear errors") {
  const auto dir = std::filesystem::temp_directory_path() / ("bsp_tensor_io_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const HostTensor original = sample();
  for (const char* name : {"t.npy", "t.pb"}) {
    const std::string path = (dir / name).string();
    REQUIRE(write_tensor_file(path, original).ok());
    HostTensor back;
    REQUIRE(read_tensor_file(path, &back).ok());
    CHECK(back.data == original.data);
  }
  HostTensor t;
  CHECK(read_tensor_file((dir / "t.txt").string(), &t).message().find("use .npy or .pb") != std::string::npos);
  CHECK(read_tensor_file((dir / "missing.npy").string(), &t).code() == rt::StatusCode::kIoError);
  CHECK(write_tensor_file((dir / "no/such/dir/x.npy").string(), original).code() == rt::StatusCode::kIoError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bespoke::tools
