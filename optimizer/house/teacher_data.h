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
#include "task/task_head.h"

namespace bespoke::house {

struct TeacherData {
  task::TaskHead head;  // what the teacher's output means (task/task_head.h)
  data::Dataset dataset;
  std::vector<int64_t> input_shape;  // [1, C, H, W]
  data::Normalization normalization;
  std::string describe;  // one line for logs
};

// Resolves the task head, opens the dataset with the labels the task reads
// (channel order and resize mode of [teacher]) and checks the two against
// each other (task::check_task_data). Throws data::DataError naming the file
// or folder (and label line), task::TaskError for a task that does not fit.
TeacherData open_teacher_data(const config::OptimizerConfig& config, const ir::Graph& teacher);

// The images make_loader serves, as dataset indices in loader order.
std::vector<int64_t> loader_indices(const TeacherData& data, data::Split split, int64_t limit);

// A loader over the first `limit` images (0 = all) of a split, in a fixed
// order, no augmentation. Throws data::DataError for an empty split.
data::BatchLoader make_loader(const TeacherData& data, data::Split split, int64_t limit, int64_t batch_size = 256);

}  // namespace bespoke::house
