#include "data/image_folder.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "data/data_error.h"

namespace bespoke::data {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxImageFileBytes = uint64_t{256} << 20;

bool is_image_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  if (error) throw DataError("image '" + path.string() + "': cannot read: " + error.message());
  if (size > kMaxImageFileBytes) throw DataError("image '" + path.string() + "': file larger than 256 MiB");
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    throw DataError("image '" + path.string() + "': cannot read");
  }
  return bytes;
}

struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

// Decodes `path` to `g` (interleaved HWC from stb, resized if needed) and
// appends it as CHW to `out`.
void decode_into(const fs::path& path, const ImageFolderOptions& options, std::vector<uint8_t>& out) {
  const ImageGeometry& g = options.geometry;
  const std::vector<uint8_t> bytes = read_file(path);
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) throw DataError("image '" + path.string() + "': file too large");
  int width = 0, height = 0, file_channels = 0;
  if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &file_channels)) {
    throw DataError("image '" + path.string() + "': cannot decode: " + stbi_failure_reason());
  }
  if (static_cast<int64_t>(width) * height > (int64_t{1} << 26)) {
    throw DataError("image '" + path.string() + "': " + std::to_string(width) + "x" + std::to_string(height) +
                    " is too large");
  }
  if (!options.resize && (width != g.width || height != g.height)) {
    throw DataError("image '" + path.string() + "': " + std::to_string(width) + "x" + std::to_string(height) +
                    ", expected " + std::to_string(g.width) + "x" + std::to_string(g.height));
  }
  const int channels = static_cast<int>(g.channels);
  std::unique_ptr<unsigned char, StbFree> pixels(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &file_channels, channels));
  if (!pixels) throw DataError("image '" + path.string() + "': cannot decode: " + stbi_failure_reason());

  const unsigned char* hwc = pixels.get();
  std::vector<uint8_t> resized;
  if (width != g.width || height != g.height) {
    resized.resize(static_cast<size_t>(g.elements()));
    if (!stbir_resize_uint8(hwc, width, height, 0, resized.data(), static_cast<int>(g.width),
                            static_cast<int>(g.height), 0, channels)) {
      throw DataError("image '" + path.string() + "': cannot resize to " + g.str());
    }
    hwc = resized.data();
  }
  const int64_t plane = g.height * g.width;
  const size_t base = out.size();
  out.resize(base + static_cast<size_t>(g.elements()));
  for (int64_t p = 0; p < plane; ++p) {
    for (int64_t c = 0; c < g.channels; ++c) out[base + static_cast<size_t>(c * plane + p)] = hwc[p * g.channels + c];
  }
}

}  // namespace

ImageSet load_image_folder(const std::string& root, const ImageFolderOptions& options) {
  const ImageGeometry& g = options.geometry;
  if (g.channels < 1 || g.channels > 4 || g.height < 1 || g.width < 1) {
    throw DataError("image folder '" + root + "': cannot load images as " + g.str() +
                    " (channels 1..4, positive size)");
  }
  std::error_code error;
  if (!fs::is_directory(root, error)) throw DataError("image folder '" + root + "': not a directory");
  std::vector<fs::path> class_dirs;
  for (const fs::directory_entry& e : fs::directory_iterator(root, error)) {
    if (e.is_directory()) class_dirs.push_back(e.path());
  }
  if (error) throw DataError("image folder '" + root + "': cannot list: " + error.message());
  if (class_dirs.empty())
    throw DataError("image folder '" + root + "': no class folders (expected root/<class>/<image>)");
  std::sort(class_dirs.begin(), class_dirs.end());

  ImageSet set;
  set.source = "image folder " + root;
  set.channels = g.channels;
  set.height = g.height;
  set.width = g.width;
  for (const fs::path& dir : class_dirs) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, error)) {
      if (e.is_regular_file() && is_image_file(e.path())) files.push_back(e.path());
    }
    if (error) throw DataError("image folder '" + dir.string() + "': cannot list: " + error.message());
    if (files.empty()) throw DataError("image folder: class folder '" + dir.string() + "' has no .png/.jpg images");
    std::sort(files.begin(), files.end());
    const auto label = static_cast<int32_t>(set.class_names.size());
    set.class_names.push_back(dir.filename().string());
    for (const fs::path& f : files) {
      decode_into(f, options, set.pixels);
      set.labels.push_back(label);
    }
  }
  return set;
}

}  // namespace bespoke::data
