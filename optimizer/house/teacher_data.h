// The images a house distills on, preprocessed as the teacher expects them:
// the dataset of [data], the teacher's input geometry ([teacher] input_shape /
// resize / channels, else the model's input), and its normalization ([teacher]
// mean / std, else the model's preprocess.mean / preprocess.std metadata, else
// the dataset's). The same function serves the search and evaluation later,
// so every step sees the images the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "data/batch_loader.h"
#include "data/dataset.h"
#include "ir/graph.h"

namespace bespoke::house {

struct TeacherData {
  data::Dataset dataset;
  std::vector<int64_t> input_shape;  // [1, C, H, W]
  data::Normalization normalization;
  std::string describe;  // one line for logs
};

// Opens the dataset (throws data::DataError naming the file or folder).
TeacherData open_teacher_data(const config::OptimizerConfig& config, const ir::Graph& teacher);

// A loader over the first `limit` images (0 = all) of a split, in a fixed
// order, no augmentation. Throws data::DataError for an empty split.
data::BatchLoader make_loader(const TeacherData& data, data::Split split, int64_t limit, int64_t batch_size = 256);

}  // namespace bespoke::house
