// Datasets by name, with their splits: "fashion-mnist" (the official test
// set, and a seeded validation split of the training set), or a directory
// laid out as an image folder (image_folder.h), either with train/, val/ and
// test/ subfolders, or with class folders directly (then all of it is the
// training set, and validation is a seeded split of it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/image_set.h"
#include "data/preprocess.h"

namespace bespoke::data {

enum class Split { kTrain, kValidation, kTest };

const char* split_name(Split split);
// "train", "val"/"validation", "test"; throws DataError otherwise.
Split parse_split(const std::string& text);

struct DatasetRequest {
  std::string name;               // "fashion-mnist" or an image-folder directory
  std::string fashion_mnist_dir;  // "" = fashion_mnist_dir() default
  // Images held out of the training set for validation (when the dataset has
  // no validation set of its own). Default: 5000 for Fashion-MNIST, a tenth
  // of a folder's images.
  std::optional<int64_t> validation_count;
  uint64_t split_seed = 1;
  // What image-folder images are decoded to (the model input); Fashion-MNIST
  // is always 1x28x28 (the preprocessor adapts it).
  ImageGeometry folder_geometry{3, 224, 224};
};

struct SplitView {
  std::shared_ptr<const ImageSet> set;
  std::vector<int64_t> indices;  // empty: the dataset has no such split
};

struct Dataset {
  std::string name;
  SplitView train, validation, test;
  // The normalization models of this dataset are trained with: fixed
  // constants for Fashion-MNIST, the training split's per-channel statistics
  // for an image folder.
  Normalization normalization;
  std::vector<std::string> class_names;

  const SplitView& split(Split s) const;
  // One line for logs: "fashion-mnist: train 55000, val 5000, test 10000 (10 classes)".
  std::string describe() const;
};

// Throws DataError naming the dataset, file or folder at fault.
Dataset open_dataset(const DatasetRequest& request);

// Per-channel mean and standard deviation of the selected images' pixels / 255.
Normalization compute_normalization(const ImageSet& set, const std::vector<int64_t>& indices);

}  // namespace bespoke::data
