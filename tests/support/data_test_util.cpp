#include "support/data_test_util.h"

#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

#include "data/fashion_mnist.h"

namespace bespoke::test {

ScratchDir::ScratchDir(const std::string& name) {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("bespoke-" + name + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string fashion_dir() { return data::fashion_mnist_dir(); }

}  // namespace bespoke::test
