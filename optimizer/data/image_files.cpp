#include "data/image_files.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>

#include "data/data_error.h"

namespace bespoke::data {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxImageFileBytes = uint64_t{256} << 20;
// Decoded pixels (width * height) accepted, whatever the sides: 64
// megapixels, at most 256 MiB of RGBA while decoding.
constexpr int64_t kMaxImagePixels = int64_t{1} << 26;

std::string image_message(const std::string& path, const std::string& what) { return "image '" + path + "': " + what; }

std::string size_text(int64_t width, int64_t height) { return std::to_string(width) + "x" + std::to_string(height); }

std::vector<uint8_t> read_file(const std::string& path) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  if (error) throw DataError(image_message(path, "cannot read: " + error.message()));
  if (size > kMaxImageFileBytes) throw DataError(image_message(path, "file larger than 256 MiB"));
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    throw DataError(image_message(path, "cannot read"));
  }
  return bytes;
}

struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

// Resizes interleaved `channels`-channel pixels from w x h to out_w x out_h.
std::vector<uint8_t> resized(const unsigned char* hwc, int64_t w, int64_t h, int64_t out_w, int64_t out_h, int channels,
                             const std::string& path) {
  std::vector<uint8_t> out(static_cast<size_t>(out_w * out_h * channels));
  if (!stbir_resize_uint8(hwc, static_cast<int>(w), static_cast<int>(h), 0, out.data(), static_cast<int>(out_w),
                          static_cast<int>(out_h), 0, channels)) {
    throw DataError(image_message(path, "cannot resize to " + size_text(out_w, out_h)));
  }
  return out;
}

}  // namespace

const char* resize_mode_name(ResizeMode mode) { return mode == ResizeMode::kPadRight ? "pad_right" : "stretch"; }

const char* channel_order_name(ChannelOrder order) { return order == ChannelOrder::kBgr ? "bgr" : "rgb"; }

void check_load_geometry(const ImageGeometry& g, const std::string& what) {
  if (g.channels < 1 || g.channels > 4 || g.height < 1 || g.width < 1) {
    throw DataError(what + ": cannot load images as " + g.str() + " (channels 1..4, positive size)");
  }
}

ImagePlacement decode_image_into(const std::string& path, const ImageLoadOptions& options, std::vector<uint8_t>& out) {
  const ImageGeometry& g = options.geometry;
  check_load_geometry(g, image_message(path, "the requested geometry"));
  const std::vector<uint8_t> bytes = read_file(path);
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) throw DataError(image_message(path, "file too large"));
  int width = 0, height = 0, file_channels = 0;
  // The header alone first: the size guards run before any pixel is decoded.
  if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &file_channels)) {
    throw DataError(image_message(path, std::string("cannot decode: ") + stbi_failure_reason()));
  }
  if (width > kMaxImageSide || height > kMaxImageSide) {
    throw DataError(image_message(
        path, size_text(width, height) + " is larger than " + std::to_string(kMaxImageSide) + " pixels a side"));
  }
  if (static_cast<int64_t>(width) * height > kMaxImagePixels) {
    throw DataError(image_message(path, size_text(width, height) + " is too large (over 64 megapixels)"));
  }
  if (!options.resize && (width != g.width || height != g.height)) {
    throw DataError(image_message(path, size_text(width, height) + ", expected " + size_text(g.width, g.height)));
  }
  const int channels = static_cast<int>(g.channels);
  std::unique_ptr<unsigned char, StbFree> pixels(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &file_channels, channels));
  if (!pixels) throw DataError(image_message(path, std::string("cannot decode: ") + stbi_failure_reason()));

  ImagePlacement placement;
  placement.file_width = width;
  placement.file_height = height;
  placement.content_width = g.width;
  if (options.resize_mode == ResizeMode::kPadRight) {
    // ceil(H * w / h) in integers: exact, where PaddleOCR's float ratio can
    // land one column off for some sizes.
    const int64_t fitted = (g.height * width + height - 1) / height;
    placement.content_width = std::clamp<int64_t>(fitted, 1, g.width);
  }
  placement.scale_x = static_cast<float>(static_cast<double>(placement.content_width) / width);
  placement.scale_y = static_cast<float>(static_cast<double>(g.height) / height);

  const unsigned char* hwc = pixels.get();
  std::vector<uint8_t> fitted;
  if (width != placement.content_width || height != g.height) {
    fitted = resized(hwc, width, height, placement.content_width, g.height, channels, path);
    hwc = fitted.data();
  }
  const int64_t plane = g.height * g.width;
  const size_t base = out.size();
  out.resize(base + static_cast<size_t>(g.elements()), kPadRightFill);
  const bool swap = options.channels == ChannelOrder::kBgr && g.channels >= 3;
  for (int64_t c = 0; c < g.channels; ++c) {
    const int64_t from = swap && c != 1 && c != 3 ? 2 - c : c;
    uint8_t* dst = out.data() + base + c * plane;
    for (int64_t y = 0; y < g.height; ++y) {
      const unsigned char* row = hwc + y * placement.content_width * g.channels;
      for (int64_t x = 0; x < placement.content_width; ++x) dst[y * g.width + x] = row[x * g.channels + from];
    }
  }
  return placement;
}

bool is_image_file(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

std::vector<std::string> list_image_files(const std::string& dir, bool recursive) {
  std::vector<fs::path> files;
  std::error_code error;
  const auto take = [&](const fs::directory_entry& e) {
    if (e.is_regular_file() && is_image_file(e.path().string())) files.push_back(e.path());
  };
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, error); !error && it != fs::recursive_directory_iterator();
         it.increment(error)) {
      take(*it);
    }
  } else {
    for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator(); it.increment(error)) {
      take(*it);
    }
  }
  if (error) throw DataError("image folder '" + dir + "': cannot list: " + error.message());
  std::sort(files.begin(), files.end());
  std::vector<std::string> paths;
  paths.reserve(files.size());
  for (const fs::path& f : files) paths.push_back(f.string());
  return paths;
}

}  // namespace bespoke::data
