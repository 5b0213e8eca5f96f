#include "ocr_test_files.h"

#include <stb/stb_image_write.h>

#include <fstream>
#include <stdexcept>

#include "data/data_error.h"

namespace bespoke::test {

void write_test_png(const std::filesystem::path& path, int width, int height, int channels,
                    const std::vector<uint8_t>& pixels) {
  std::filesystem::create_directories(path.parent_path());
  if (stbi_write_png(path.string().c_str(), width, height, channels, pixels.data(), width * channels) == 0) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

void write_flat_png(const std::filesystem::path& path, int width, int height, const std::vector<uint8_t>& colour) {
  std::vector<uint8_t> pixels;
  pixels.reserve(static_cast<size_t>(width) * static_cast<size_t>(height) * colour.size());
  for (int i = 0; i < width * height; ++i) pixels.insert(pixels.end(), colour.begin(), colour.end());
  write_test_png(path, width, height, static_cast<int>(colour.size()), pixels);
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string data_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const data::DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace bespoke::test
