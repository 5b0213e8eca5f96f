#include "house/feature_cache.h"

#include <ATen/ATen.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace bespoke::house {

struct FeatureCache::Mapping {
  std::string path;
  void* data = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (data != nullptr) munmap(data, size);
    if (!path.empty()) ::unlink(path.c_str());
  }
};

namespace {

std::string sanitized(const std::string& name) {
  std::string s = name;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return s;
}

}  // namespace

FeatureCache::FeatureCache(int64_t memory_bound_bytes, std::string spill_dir)
    : bound_(memory_bound_bytes), spill_dir_(std::move(spill_dir)) {}

FeatureCache::~FeatureCache() {
  tensors_.clear();  // views first, then the mappings they point into
  mappings_.clear();
}

at::Tensor FeatureCache::allocate(const std::string& name, const std::vector<int64_t>& shape) {
  if (contains(name)) throw std::logic_error("feature cache: '" + name + "' allocated twice");
  int64_t elements = 1;
  for (int64_t d : shape) elements *= d;
  const int64_t bytes = elements * static_cast<int64_t>(sizeof(float));
  at::Tensor t;
  if (memory_bytes_ + bytes <= bound_) {
    t = at::zeros(shape, at::kFloat);
    memory_bytes_ += bytes;
  } else {
    std::filesystem::create_directories(spill_dir_);
    auto m = std::make_unique<Mapping>();
    m->path = (std::filesystem::path(spill_dir_) / ("features-" + sanitized(name) + ".f32")).string();
    m->size = static_cast<size_t>(bytes);
    const int fd = ::open(m->path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create feature file '" + m->path + "': " + std::strerror(errno));
    const int reserved = bytes > 0 ? ::posix_fallocate(fd, 0, bytes) : 0;
    if (reserved != 0) {
      ::close(fd);
      throw std::runtime_error("cannot reserve " + std::to_string(bytes) + " bytes for feature file '" + m->path +
                               "': " + std::strerror(reserved));
    }
    m->data = ::mmap(nullptr, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (m->data == MAP_FAILED) {
      m->data = nullptr;
      throw std::runtime_error("cannot map feature file '" + m->path + "': " + std::strerror(errno));
    }
    t = at::from_blob(m->data, shape, at::kFloat);  // the file is new: zero-filled
    spilled_bytes_ += bytes;
    mappings_.push_back(std::move(m));
  }
  tensors_.emplace(name, t);
  return t;
}

const at::Tensor& FeatureCache::get(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) throw std::out_of_range("feature cache: no tensor '" + name + "'");
  return it->second;
}

}  // namespace bespoke::house
