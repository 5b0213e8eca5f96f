#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "data/data_error.h"
#include "data/fashion_mnist.h"
#include "data/image_folder.h"
#include "data/ppocr_split.h"
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

// One split folder, read as the labels ask.
std::shared_ptr<const ImageSet> load_split(const DatasetRequest& r, const fs::path& dir) {
  ImageLoadOptions options;
  options.geometry = r.folder_geometry;
  options.resize_mode = r.resize;
  options.channels = r.channels;
  if (r.labels == LabelKind::kClasses) return share(load_image_folder(dir.string(), options));
  return share(load_ppocr_split(dir.string(), r.labels, r.labels_file, options));
}

void check_compatible(const DatasetRequest& r, const ImageSet& train, const ImageSet& other) {
  if (r.labels == LabelKind::kClasses) check_same_classes(train, other);
}

Dataset open_folder(const DatasetRequest& r) {
  Dataset d;
  d.name = r.name;
  d.labels = r.labels;
  const fs::path root(r.name);
  std::error_code error;
  if (fs::is_directory(root / "train", error)) {
    auto train = load_split(r, root / "train");
    d.class_names = train->class_names;
    if (fs::is_directory(root / "val", error)) {
      auto val = load_split(r, root / "val");
      check_compatible(r, *train, *val);
      d.train = {train, all_indices(train->size())};
      d.validation = {val, all_indices(val->size())};
    } else {
      split_training(d, train, r.validation_count.value_or(std::max<int64_t>(1, train->size() / 10)), r.split_seed);
    }
    if (fs::is_directory(root / "test", error)) {
      auto test = load_split(r, root / "test");
      check_compatible(r, *train, *test);
      d.test = {test, all_indices(test->size())};
    }
  } else {
    // Class folders named val/ or test/ are legitimate classes; for text
    // data they can only be a forgotten train/.
    if (r.labels != LabelKind::kClasses &&
        (fs::is_directory(root / "val", error) || fs::is_directory(root / "test", error))) {
      throw DataError("dataset '" + r.name + "': has val/ or test/ but no train/ folder");
    }
    auto all = load_split(r, root);
    d.class_names = all->class_names;
    if (all->size() < 2) throw DataError("dataset '" + r.name + "': needs at least 2 images to split");
    split_training(d, all, r.validation_count.value_or(std::max<int64_t>(1, all->size() / 10)), r.split_seed);
  }
  d.normalization = compute_normalization(*d.train.set, d.train.indices);
  return d;
}

// What one set's labels are, with the counts describe() adds up.
struct LabelSummary {
  std::string kind;  // "classes", "transcripts", "boxes", "unlabelled"
  int64_t images = 0, regions = 0, ignored = 0;
};

LabelSummary summarize(const ImageSet& set) {
  LabelSummary s;
  s.images = set.size();
  if (set.has_transcripts()) {
    s.kind = "transcripts";
  } else if (set.has_regions()) {
    s.kind = "boxes";
    for (const std::vector<bool>& flags : set.ignored) {
      s.regions += static_cast<int64_t>(flags.size());
      s.ignored += std::count(flags.begin(), flags.end(), true);
    }
  } else {
    s.kind = set.has_classes() ? "classes" : "unlabelled";
  }
  return s;
}

std::string summary_text(const LabelSummary& s, size_t classes) {
  if (s.kind == "classes") return std::to_string(classes) + " classes";
  const auto count = [](int64_t n, const char* one, const char* many) {
    return std::to_string(n) + (n == 1 ? one : many);
  };
  if (s.kind == "transcripts") return count(s.images, " line", " lines") + " with transcripts";
  if (s.kind == "boxes") {
    return count(s.images, " image", " images") + " with boxes: " + count(s.regions, " region", " regions") + ", " +
           std::to_string(s.ignored) + " ignored";
  }
  return "unlabelled";
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
  // The distinct sets behind the splits (train and val often share one),
  // with the names of the splits each serves.
  std::vector<std::pair<const ImageSet*, std::string>> sets;
  for (const auto& [label, view] : parts) {
    if (view->indices.empty()) continue;
    text += std::string(" ") + label + " " + std::to_string(view->indices.size()) + ",";
    const auto same = [&](const auto& entry) { return entry.first == view->set.get(); };
    if (auto it = std::find_if(sets.begin(), sets.end(), same); it != sets.end()) {
      it->second += std::string(", ") + label;
    } else {
      sets.emplace_back(view->set.get(), label);
    }
  }
  text.pop_back();
  if (sets.empty()) return text + " (empty)";
  std::vector<LabelSummary> summaries;
  for (const auto& entry : sets) summaries.push_back(summarize(*entry.first));
  const bool uniform = std::all_of(summaries.begin(), summaries.end(),
                                   [&](const LabelSummary& s) { return s.kind == summaries.front().kind; });
  if (uniform) {
    LabelSummary total = summaries.front();
    for (size_t i = 1; i < summaries.size(); ++i) {
      total.images += summaries[i].images;
      total.regions += summaries[i].regions;
      total.ignored += summaries[i].ignored;
    }
    return text + " (" + summary_text(total, class_names.size()) + ")";
  }
  text += " (";
  for (size_t i = 0; i < sets.size(); ++i) {
    text += (i ? "; " : "") + sets[i].second + ": " + summary_text(summaries[i], class_names.size());
  }
  return text + ")";
}

Dataset open_dataset(const DatasetRequest& r) {
  if (r.name == "fashion-mnist") {
    if (r.labels != LabelKind::kClasses) {
      throw DataError("dataset 'fashion-mnist' has class labels, not " + std::string(label_kind_name(r.labels)) +
                      ": a text task needs a folder of PaddleOCR data");
    }
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
  if (fs::is_directory(r.name, error)) return open_folder(r);
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
