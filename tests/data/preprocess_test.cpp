// Preprocessing derived from the model input: pad, resize, channel mapping,
// normalization; and the Fashion-MNIST normalization constants.
#include <doctest/doctest.h>

#include "data/data_error.h"
#include "data/dataset.h"
#include "data/fashion_mnist.h"
#include "data/preprocess.h"

using namespace bespoke;

TEST_SUITE("data") {
  TEST_CASE("preprocess: 28x28 gray is centered and padded to 32x32 with normalized black") {
    std::vector<uint8_t> image(28 * 28);
    for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<uint8_t>(i % 251);
    const data::Preprocessor p({1, 28, 28}, data::Preprocessor::geometry_of_input({1, 1, 32, 32}), {{0.5f}, {0.25f}});
    std::vector<float> out(32 * 32);
    p(image.data(), out.data());
    CHECK(out[0] == doctest::Approx(-2.0));  // (0 - 0.5) / 0.25
    CHECK(p.background()[0] == doctest::Approx(-2.0));
    // Source (0, 0) lands at (2, 2); source (27, 27) at (29, 29).
    CHECK(out[2 * 32 + 2] == doctest::Approx((image[0] / 255.0 - 0.5) / 0.25));
    CHECK(out[29 * 32 + 29] == doctest::Approx((image[27 * 28 + 27] / 255.0 - 0.5) / 0.25));
    CHECK(out[30 * 32 + 30] == doctest::Approx(-2.0));
    CHECK(p.describe().find("pad 1x32x32") != std::string::npos);
  }

  TEST_CASE("preprocess: gray replicated to RGB with per-channel normalization") {
    const std::vector<uint8_t> image = {0, 51, 102, 255};
    const data::Preprocessor p({1, 2, 2}, {3, 2, 2}, {{0.0f, 0.1f, 0.2f}, {1.0f, 0.5f, 0.25f}});
    std::vector<float> out(12);
    p(image.data(), out.data());
    for (int c = 0; c < 3; ++c) {
      const double mean[] = {0.0, 0.1, 0.2}, stddev[] = {1.0, 0.5, 0.25};
      for (int k = 0; k < 4; ++k) {
        CHECK(out[static_cast<size_t>(c * 4 + k)] ==
              doctest::Approx((image[static_cast<size_t>(k)] / 255.0 - mean[c]) / stddev[c]));
      }
    }
  }

  TEST_CASE("preprocess: RGB to gray uses BT.601 weights") {
    const std::vector<uint8_t> image = {255, 0, 0};  // one red pixel, CHW
    const data::Preprocessor p({3, 1, 1}, {1, 1, 1}, {});
    float out = 0;
    p(image.data(), &out);
    CHECK(out == doctest::Approx(0.299));
  }

  TEST_CASE("preprocess: a 2x downscale averages 2x2 blocks (half-pixel bilinear)") {
    std::vector<uint8_t> image(16);
    for (int i = 0; i < 16; ++i) image[static_cast<size_t>(i)] = static_cast<uint8_t>(i * 10);
    const data::Preprocessor p({1, 4, 4}, {1, 2, 2}, {{0.0f}, {1.0f / 255.0f}});
    std::vector<float> out(4);
    p(image.data(), out.data());
    CHECK(out[0] == doctest::Approx((0 + 10 + 40 + 50) / 4.0));
    CHECK(out[3] == doctest::Approx((100 + 110 + 140 + 150) / 4.0));
    CHECK(p.describe().find("resize") != std::string::npos);
  }

  TEST_CASE("preprocess: impossible requests are refused with the reason") {
    CHECK_THROWS_WITH_AS(data::Preprocessor({2, 4, 4}, {3, 4, 4}, {}),
                         "preprocessing: cannot map 2 image channels to a model with 3", data::DataError);
    CHECK_THROWS_AS(data::Preprocessor({1, 4, 4}, {3, 4, 4}, {{0.1f, 0.2f}, {1.0f}}), data::DataError);
    CHECK_THROWS_AS(data::Preprocessor({1, 4, 4}, {1, 4, 4}, {{0.0f}, {0.0f}}), data::DataError);
    CHECK_THROWS_WITH_AS(data::Preprocessor::geometry_of_input({1, 784}),
                         "the model input must be an image batch [N, C, H, W], not [1,784]", data::DataError);
  }

  TEST_CASE("Fashion-MNIST: the normalization constants are the training pixels' statistics") {
    const data::ImageSet train = data::load_fashion_mnist(data::FashionMnistPart::kTrain);
    const data::Normalization n = data::compute_normalization(train, data::all_indices(train.size()));
    CHECK(n.mean[0] == doctest::Approx(data::kFashionMnistMean).epsilon(1e-3));
    CHECK(n.std[0] == doctest::Approx(data::kFashionMnistStd).epsilon(1e-3));
  }

  TEST_CASE("dataset: fashion-mnist splits and errors") {
    data::DatasetRequest r;
    r.name = "fashion-mnist";
    const data::Dataset d = data::open_dataset(r);
    CHECK(d.train.indices.size() == 55000);
    CHECK(d.validation.indices.size() == 5000);
    CHECK(d.test.indices.size() == 10000);
    CHECK(d.describe() == "fashion-mnist: train 55000, val 5000, test 10000 (10 classes)");
    CHECK(data::parse_split("val") == data::Split::kValidation);
    CHECK_THROWS_AS(data::parse_split("dev"), data::DataError);
    r.name = "no-such-dataset";
    CHECK_THROWS_WITH_AS(data::open_dataset(r),
                         "unknown dataset 'no-such-dataset': use fashion-mnist or an image-folder directory",
                         data::DataError);
  }

}  // TEST_SUITE
