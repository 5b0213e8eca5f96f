// Fashion-MNIST (Zalando): 60,000 training and 10,000 test images of 28x28
// grayscale clothing, 10 classes, as gzipped IDX files. Debian's
// dataset-fashion-mnist installs them in kFashionMnistDefaultDir; the
// environment variable BESPOKE_FASHION_MNIST_DIR overrides it.
#pragma once

#include <string>

#include "data/image_set.h"

namespace bespoke::data {

inline constexpr const char* kFashionMnistDefaultDir = "/usr/share/datasets/fashion-mnist";
inline constexpr int64_t kFashionMnistTrainSize = 60000;
inline constexpr int64_t kFashionMnistTestSize = 10000;
// Mean and standard deviation of the training pixels scaled to [0, 1]
// (tests/data checks them against the files).
inline constexpr float kFashionMnistMean = 0.2860f;
inline constexpr float kFashionMnistStd = 0.3530f;

enum class FashionMnistPart { kTrain, kTest };

// The directory to read from: `dir` if not empty, else the environment
// override, else the default.
std::string fashion_mnist_dir(const std::string& dir = "");

// Reads one part (images and labels), checking that the two files agree in
// count, that images are 28x28 and labels in 0..9. Throws DataError naming
// the file.
ImageSet load_fashion_mnist(FashionMnistPart part, const std::string& dir = "");

// "T-shirt/top", "Trouser", ... in label order.
const std::vector<std::string>& fashion_mnist_class_names();

}  // namespace bespoke::data
