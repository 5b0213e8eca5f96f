#include "house/teacher_data.h"

#include <sstream>

#include "data/data_error.h"

namespace bespoke::house {

namespace {

std::vector<float> floats_of(const std::vector<double>& v) { return {v.begin(), v.end()}; }

std::vector<float> metadata_floats(const ir::Graph& g, const std::string& key) {
  for (const auto& [k, v] : g.metadata)
    if (k == key) {
      std::vector<float> out;
      std::stringstream in(v);
      for (std::string item; std::getline(in, item, ',');) out.push_back(std::stof(item));
      return out;
    }
  return {};
}

}  // namespace

TeacherData open_teacher_data(const config::OptimizerConfig& config, const ir::Graph& teacher) {
  const config::TeacherConfig& t = config.teacher;
  TeacherData d;
  d.input_shape = !t.input_shape.empty() ? t.input_shape : teacher.shape_of(teacher.inputs.at(0));
  d.input_shape[0] = 1;
  if (t.channels > 0) d.input_shape[1] = t.channels;
  if (t.resize.size() == 2) {
    d.input_shape[2] = t.resize[0];
    d.input_shape[3] = t.resize[1];
  }
  d.head = task::resolve_task_head(t, teacher);
  data::DatasetRequest request;
  request.name = config.data.source;
  request.labels = d.head.label_kind();
  request.labels_file = config.data.labels;
  request.channels = t.channel_order == "bgr" ? data::ChannelOrder::kBgr : data::ChannelOrder::kRgb;
  const bool pad_right =
      t.resize_mode == "pad_right" || (t.resize_mode == "auto" && d.head.kind == task::TaskKind::kCtc);
  request.resize = pad_right ? data::ResizeMode::kPadRight : data::ResizeMode::kStretch;
  request.fashion_mnist_dir = config.data.dir;
  request.validation_count = config.data.validation_count;
  request.split_seed = config.data.split_seed;
  request.folder_geometry = data::Preprocessor::geometry_of_input(d.input_shape);
  d.dataset = data::open_dataset(request);
  d.normalization = d.dataset.normalization;
  if (auto m = metadata_floats(teacher, "preprocess.mean"); !m.empty()) d.normalization.mean = m;
  if (auto s = metadata_floats(teacher, "preprocess.std"); !s.empty()) d.normalization.std = s;
  if (!t.mean.empty()) d.normalization.mean = floats_of(t.mean);
  if (!t.std.empty()) d.normalization.std = floats_of(t.std);
  task::check_task_data(d.head, d.dataset);
  d.describe = d.dataset.describe();
  return d;
}

std::vector<int64_t> loader_indices(const TeacherData& d, data::Split split, int64_t limit) {
  std::vector<int64_t> indices = d.dataset.split(split).indices;
  if (limit > 0 && limit < static_cast<int64_t>(indices.size())) indices.resize(static_cast<size_t>(limit));
  return indices;
}

data::BatchLoader make_loader(const TeacherData& d, data::Split split, int64_t limit, int64_t batch_size) {
  const data::SplitView& view = d.dataset.split(split);
  std::vector<int64_t> indices = loader_indices(d, split, limit);
  if (indices.empty())
    throw data::DataError("dataset '" + d.dataset.name + "' has no " + data::split_name(split) + " images");
  data::LoaderOptions options;
  options.batch_size = batch_size;
  return data::BatchLoader(view.set, std::move(indices),
                           data::Preprocessor({view.set->channels, view.set->height, view.set->width},
                                              data::Preprocessor::geometry_of_input(d.input_shape), d.normalization),
                           options);
}

}  // namespace bespoke::house
