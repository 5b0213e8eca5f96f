#include "data/image_folder.h"

#include <algorithm>
#include <filesystem>

#include "data/data_error.h"

namespace bespoke::data {

namespace fs = std::filesystem;

namespace {

ImageSet empty_set(const std::string& source, const ImageGeometry& g) {
  ImageSet set;
  set.source = source;
  set.channels = g.channels;
  set.height = g.height;
  set.width = g.width;
  return set;
}

// Appends the decoded images with label `label`.
void add_images(const std::vector<std::string>& files, int32_t label, const ImageFolderOptions& options,
                ImageSet& set) {
  set.pixels.reserve(set.pixels.size() + files.size() * static_cast<size_t>(options.geometry.elements()));
  for (const std::string& f : files) {
    decode_image_into(f, options, set.pixels);
    set.labels.push_back(label);
    set.origins.push_back(f);
  }
}

}  // namespace

ImageSet load_image_folder(const std::string& root, const ImageFolderOptions& options) {
  check_load_geometry(options.geometry, "image folder '" + root + "'");
  std::error_code error;
  if (!fs::is_directory(root, error)) throw DataError("image folder '" + root + "': not a directory");
  std::vector<fs::path> class_dirs;
  for (auto it = fs::directory_iterator(root, error); !error && it != fs::directory_iterator(); it.increment(error)) {
    if (it->is_directory()) class_dirs.push_back(it->path());
  }
  if (error) throw DataError("image folder '" + root + "': cannot list: " + error.message());
  if (class_dirs.empty()) {
    if (list_image_files(root, false).empty()) {
      throw DataError("image folder '" + root +
                      "': no class folders (expected root/<class>/<image>) and no images (root/<image>)");
    }
    return load_unlabelled_images(root, options, false);
  }
  std::sort(class_dirs.begin(), class_dirs.end());

  ImageSet set = empty_set("image folder " + root, options.geometry);
  for (const fs::path& dir : class_dirs) {
    const std::vector<std::string> files = list_image_files(dir.string(), false);
    if (files.empty()) throw DataError("image folder: class folder '" + dir.string() + "' has no .png/.jpg images");
    const auto label = static_cast<int32_t>(set.class_names.size());
    set.class_names.push_back(dir.filename().string());
    add_images(files, label, options, set);
  }
  return set;
}

ImageSet load_unlabelled_images(const std::string& root, const ImageFolderOptions& options, bool recursive) {
  check_load_geometry(options.geometry, "image folder '" + root + "'");
  std::error_code error;
  if (!fs::is_directory(root, error)) throw DataError("image folder '" + root + "': not a directory");
  const std::vector<std::string> files = list_image_files(root, recursive);
  if (files.empty()) {
    throw DataError("image folder '" + root + "': no .png/.jpg images" +
                    (recursive ? " (searched sub-folders too)" : ""));
  }
  ImageSet set = empty_set("unlabelled images " + root, options.geometry);
  add_images(files, -1, options, set);
  return set;
}

}  // namespace bespoke::data
