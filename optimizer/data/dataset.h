// Datasets by name, with their splits: "fashion-mnist" (the official test
// set, and a seeded validation split of the training set), or a directory,
// either with train/ (and optionally val/ and test/) split folders, or
// without (then all of it is the training set). Without val/, validation is
// a seeded split of the training set.
//
// What a split folder holds depends on the labels the teacher's task needs
// (label_kind.h):
//  * kClasses: an image folder (image_folder.h): class folders, or images
//    directly for unlabelled data; train/, val/ and test/ must have the same
//    classes;
//  * kText, kBoxes: a PaddleOCR split (ppocr_split.h): a label file named
//    `labels_file` listing the images, or no label file (unlabelled images,
//    sub-folders included). A root with val/ or test/ but no train/ is an
//    error (its images would be mixed into one split).
// Everything is read and checked when the dataset opens: a bad label line or
// image fails there, with "<label file>:<line>: " in front of the message.
// Fashion-MNIST has class labels only: another kind is an error.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/image_files.h"
#include "data/image_set.h"
#include "data/label_kind.h"
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
  // What the teacher's task expects of the labels, and so how split folders
  // are read.
  LabelKind labels = LabelKind::kClasses;
  // The PaddleOCR label file's name in each split folder (kText, kBoxes).
  std::string labels_file = "labels.txt";
  // How folder images are fitted to folder_geometry (image_files.h):
  // kPadRight for a CTC recognizer, as PaddleOCR feeds it.
  ResizeMode resize = ResizeMode::kStretch;
  // kBgr for models trained on BGR images (PaddleOCR's detector); the mean
  // and std are then per model channel, in B, G, R order.
  ChannelOrder channels = ChannelOrder::kRgb;
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
  std::vector<std::string> class_names;    // empty without class labels
  LabelKind labels = LabelKind::kClasses;  // what was asked for (DatasetRequest::labels)

  const SplitView& split(Split s) const;
  // One line for logs: "fashion-mnist: train 55000, val 5000, test 10000 (10 classes)";
  // "rec: train 10800, val 1200 (12000 lines with transcripts)"; "(unlabelled)";
  // "(300 images with boxes: 2100 regions, 40 ignored)"; per split
  // ("train, val: ...; test: unlabelled") when the splits differ.
  std::string describe() const;
};

// Throws DataError naming the dataset, file or folder at fault.
Dataset open_dataset(const DatasetRequest& request);

// Per-channel mean and standard deviation of the selected images' pixels / 255.
Normalization compute_normalization(const ImageSet& set, const std::vector<int64_t>& indices);

}  // namespace bespoke::data
