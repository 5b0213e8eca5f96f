#include "data/dataset.h"

#include <cmath>
#include <filesystem>

#include "data/data_error.h"
#include "data/fashion_mnist.h"
#include "data/image_folder.h"
#include "data/split.h"

namespace bespoke::data {

namespace fs = std::filesystem;

namespace {

std::shared_ptr<const ImageSet> share(ImageSet set) { return std::make_shared<const ImageSet>(std::move(set)); }

// Training set plus a seeded validation split of it.
void split_training(Dataset& d, std::shared_ptr<const ImageSet> train, int64_t validation_count, uint64_t seed) {
  TrainValidationSplit split = split_train_validation(train->size(), validation_count, seed);
  d.train = {train, std::move(split.train)};
  d.validation = {train, std::move(split.validation)};
}

void check_same_classes(const ImageSet& reference, const ImageSet& other) {
  if (other.class_names != reference.class_names) {
    throw DataError("image folder: the classes of '" + other.source + "' differ from those of '" + reference.source +
                    "'");
  }
}

Dataset open_image_folder(const DatasetRequest& r) {
  ImageFolderOptions options;
  options.geometry = r.folder_geometry;
  Dataset d;
  d.name = r.name;
  const fs::path root(r.name);
  std::error_code error;
  if (fs::is_directory(root / "train", error)) {
    auto train = share(load_image_folder((root / "train").string(), options));
    d.class_names = train->class_names;
    if (fs::is_directory(root / "val", error)) {
      auto val = share(load_image_folder((root / "val").string(), options));
      check_same_classes(*train, *val);
      d.train = {train, all_indices(train->size())};
      d.validation = {val, all_indices(val->size())};
    } else {
      split_training(d, train, r.validation_count.value_or(std::max<int64_t>(1, train->size() / 10)), r.split_seed);
    }
    if (fs::is_directory(root / "test", error)) {
      auto test = share(load_image_folder((root / "test").string(), options));
      check_same_classes(*train, *test);
      d.test = {test, all_indices(test->size())};
    }
  } else {
    auto all = share(load_image_folder(r.name, options));
    d.class_names = all->class_names;
    if (all->size() < 2) throw DataError("image folder '" + r.name + "': needs at least 2 images to split");
    split_training(d, all, r.validation_count.value_or(std::max<int64_t>(1, all->size() / 10)), r.split_seed);
  }
  d.normalization = compute_normalization(*d.train.set, d.train.indices);
  return d;
}

}  // namespace

const char* split_name(Split split) {
  switch (split) {
    case Split::kTrain: return "train";
    case Split::kValidation: return "val";
    case Split::kTest: return "test";
  }
  return "?";
}

Split parse_split(const std::string& text) {
  if (text == "train") return Split::kTrain;
  if (text == "val" || text == "validation") return Split::kValidation;
  if (text == "test") return Split::kTest;
  throw DataError("unknown split '" + text + "' (train, val or test)");
}

const SplitView& Dataset::split(Split s) const {
  const SplitView& view = s == Split::kTrain ? train : s == Split::kValidation ? validation : test;
  if (view.indices.empty()) throw DataError("dataset '" + name + "' has no " + split_name(s) + " split");
  return view;
}

std::string Dataset::describe() const {
  std::string text = name + ":";
  const std::pair<const char*, const SplitView*> parts[] = {{"train", &train}, {"val", &validation}, {"test", &test}};
  for (const auto& [label, view] : parts) {
    if (!view->indices.empty()) text += std::string(" ") + label + " " + std::to_string(view->indices.size()) + ",";
  }
  text.pop_back();
  return text + " (" + std::to_string(class_names.size()) + " classes)";
}

Dataset open_dataset(const DatasetRequest& r) {
  if (r.name == "fashion-mnist") {
    Dataset d;
    d.name = r.name;
    auto train = share(load_fashion_mnist(FashionMnistPart::kTrain, r.fashion_mnist_dir));
    auto test = share(load_fashion_mnist(FashionMnistPart::kTest, r.fashion_mnist_dir));
    d.class_names = train->class_names;
    split_training(d, train, r.validation_count.value_or(5000), r.split_seed);
    d.test = {test, all_indices(test->size())};
    d.normalization = {{kFashionMnistMean}, {kFashionMnistStd}};
    return d;
  }
  std::error_code error;
  if (fs::is_directory(r.name, error)) return open_image_folder(r);
  throw DataError("unknown dataset '" + r.name + "': use fashion-mnist or an image-folder directory");
}

Normalization compute_normalization(const ImageSet& set, const std::vector<int64_t>& indices) {
  if (indices.empty()) throw DataError("'" + set.source + "': no images to compute a normalization from");
  Normalization n;
  n.mean.clear();
  n.std.clear();
  const int64_t plane = set.height * set.width;
  for (int64_t c = 0; c < set.channels; ++c) {
    double sum = 0.0, sum_sq = 0.0;
    for (const int64_t i : indices) {
      const uint8_t* p = set.image(i) + c * plane;
      uint64_t s = 0, sq = 0;
      for (int64_t k = 0; k < plane; ++k) s += p[k], sq += uint64_t{p[k]} * p[k];
      sum += static_cast<double>(s);
      sum_sq += static_cast<double>(sq);
    }
    const double count = static_cast<double>(plane) * static_cast<double>(indices.size());
    const double mean = sum / count / 255.0;
    const double var = std::max(sum_sq / count / (255.0 * 255.0) - mean * mean, 1e-12);
    n.mean.push_back(static_cast<float>(mean));
    n.std.push_back(static_cast<float>(std::sqrt(var)));
  }
  return n;
}

}  // namespace bespoke::data
