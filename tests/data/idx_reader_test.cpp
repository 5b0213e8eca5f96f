// IDX reading: the real Fashion-MNIST files (counts, labels, pixel sums
// computed independently with Python's gzip module) and broken copies.
#include <doctest/doctest.h>

#include <functional>
#include <numeric>

#include "data/compressed_file.h"
#include "data/data_error.h"
#include "data/fashion_mnist.h"
#include "data/idx_reader.h"
#include "support/data_test_util.h"

using namespace bespoke;
using bespoke::test::ScratchDir;

namespace {

uint64_t pixel_sum(const data::ImageSet& s) { return std::accumulate(s.pixels.begin(), s.pixels.end(), uint64_t{0}); }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const data::DataError& e) {
    return e.what();
  }
  return "";
}

std::vector<uint8_t> idx_header(uint8_t type, std::vector<uint32_t> dims) {
  std::vector<uint8_t> b = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<uint8_t>(d >> shift));
  }
  return b;
}

}  // namespace

TEST_SUITE("data") {
  TEST_CASE("Fashion-MNIST: counts, labels and pixel checksums of the real files") {
    const data::ImageSet train = data::load_fashion_mnist(data::FashionMnistPart::kTrain);
    const data::ImageSet test = data::load_fashion_mnist(data::FashionMnistPart::kTest);
    CHECK(train.size() == 60000);
    CHECK(test.size() == 10000);
    CHECK(train.channels == 1);
    CHECK(train.height == 28);
    CHECK(train.width == 28);
    CHECK(train.pixels.size() == 60000u * 784u);
    CHECK(train.num_classes() == 10);
    // Reference values: Python's gzip + struct over the same files.
    CHECK(pixel_sum(train) == 3431114169ULL);
    CHECK(pixel_sum(test) == 573469082ULL);
    CHECK(std::accumulate(train.image(0), train.image(0) + 784, 0) == 76247);
    CHECK(test.image(0)[14 * 28 + 14] == 110);
    const std::vector<int32_t> first_train = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
    const std::vector<int32_t> first_test = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
    CHECK(std::vector<int32_t>(train.labels.begin(), train.labels.begin() + 10) == first_train);
    CHECK(std::vector<int32_t>(test.labels.begin(), test.labels.begin() + 10) == first_test);
    std::vector<int> counts(10, 0);
    for (const int32_t l : train.labels) {
      REQUIRE(l >= 0);
      REQUIRE(l < 10);
      ++counts[static_cast<size_t>(l)];
    }
    CHECK(counts == std::vector<int>(10, 6000));
  }

  TEST_CASE("IDX: a truncated gzip stream is reported with the file name") {
    ScratchDir dir("idx-gzip");
    std::vector<uint8_t> gz =
        bespoke::test::read_file_bytes(bespoke::test::fashion_dir() + "/t10k-labels-idx1-ubyte.gz");
    gz.resize(gz.size() / 2);
    const std::string path = dir.file("labels-cut.gz");
    bespoke::test::write_file_bytes(path, gz);
    const std::string message = error_of([&] { data::read_idx(path, 1); });
    CHECK(message.find(path) != std::string::npos);
    CHECK(message.find("truncated or corrupt gzip") != std::string::npos);
  }

  TEST_CASE("IDX: corrupt gzip data is reported") {
    ScratchDir dir("idx-corrupt");
    std::vector<uint8_t> gz =
        bespoke::test::read_file_bytes(bespoke::test::fashion_dir() + "/t10k-labels-idx1-ubyte.gz");
    for (size_t i = 100; i < 400 && i < gz.size(); ++i) gz[i] = static_cast<uint8_t>(gz[i] ^ 0x5a);
    const std::string path = dir.file("labels-garbled.gz");
    bespoke::test::write_file_bytes(path, gz);
    const std::string message = error_of([&] { data::read_idx(path, 1); });
    CHECK(message.find(path) != std::string::npos);
    CHECK(message.find("gzip") != std::string::npos);
  }

  TEST_CASE("IDX: header and size problems name the file") {
    const std::vector<uint8_t> good = [] {
      std::vector<uint8_t> b = idx_header(0x08, {2, 3});
      b.insert(b.end(), 6, 7);
      return b;
    }();
    const data::IdxArray a = data::parse_idx(good, "good.idx", 2);
    CHECK(a.dims == std::vector<int64_t>{2, 3});
    CHECK(a.data == std::vector<uint8_t>(6, 7));

    std::vector<uint8_t> truncated = good;
    truncated.pop_back();
    CHECK(error_of([&] { data::parse_idx(truncated, "t.idx"); }) ==
          "IDX file 't.idx': truncated: the header promises 6 bytes of data, the file has 5");
    std::vector<uint8_t> trailing = good;
    trailing.push_back(1);
    CHECK(error_of([&] { data::parse_idx(trailing, "x.idx"); }).find("1 trailing bytes") != std::string::npos);
    std::vector<uint8_t> magic = good;
    magic[0] = 0x1f;
    CHECK(error_of([&] { data::parse_idx(magic, "m.idx"); }).find("'m.idx': bad magic number") != std::string::npos);
    CHECK(error_of([&] { data::parse_idx(good, "r.idx", 3); }) == "IDX file 'r.idx': rank 2, expected 3");
    std::vector<uint8_t> floats = idx_header(0x0D, {1});
    floats.insert(floats.end(), 4, 0);
    CHECK(error_of([&] { data::parse_idx(floats, "f.idx"); }).find("float32 (0x0D) is not supported") !=
          std::string::npos);
    CHECK(error_of([&] {
            data::parse_idx(idx_header(0x08, {4, 0}), "z.idx");
          }).find("dimension 1 is 0") != std::string::npos);
    CHECK(error_of([&] {
            data::parse_idx({0, 0, 8, 3, 0, 0}, "h.idx");
          }).find("truncated header") != std::string::npos);
    // A header promising more than the reader accepts, without the data.
    CHECK(error_of([&] {
            data::parse_idx(idx_header(0x08, {65536, 65536}), "big.idx");
          }).find("more than") != std::string::npos);
  }

  TEST_CASE("IDX: a missing file and mismatched Fashion-MNIST parts are reported") {
    ScratchDir dir("fashion-mismatch");
    CHECK(error_of([&] { data::read_idx(dir.file("absent.gz")); }).find("cannot open") != std::string::npos);
    // Test images (10000) with training labels (60000) under the training names.
    bespoke::test::write_file_bytes(
        dir.file("train-images-idx3-ubyte.gz"),
        bespoke::test::read_file_bytes(bespoke::test::fashion_dir() + "/t10k-images-idx3-ubyte.gz"));
    bespoke::test::write_file_bytes(
        dir.file("train-labels-idx1-ubyte.gz"),
        bespoke::test::read_file_bytes(bespoke::test::fashion_dir() + "/train-labels-idx1-ubyte.gz"));
    const std::string message =
        error_of([&] { data::load_fashion_mnist(data::FashionMnistPart::kTrain, dir.path().string()); });
    CHECK(message.find("holds 10000 images but") != std::string::npos);
    CHECK(message.find("60000 labels") != std::string::npos);
    // Labels where images belong: the rank check names the file.
    bespoke::test::write_file_bytes(
        dir.file("t10k-images-idx3-ubyte.gz"),
        bespoke::test::read_file_bytes(bespoke::test::fashion_dir() + "/t10k-labels-idx1-ubyte.gz"));
    const std::string rank =
        error_of([&] { data::load_fashion_mnist(data::FashionMnistPart::kTest, dir.path().string()); });
    CHECK(rank.find("t10k-images-idx3-ubyte.gz': rank 1, expected 3") != std::string::npos);
  }

}  // TEST_SUITE
