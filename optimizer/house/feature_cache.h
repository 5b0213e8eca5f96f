// FeatureCache: the teacher's features that distillation reads, kept in
// memory up to a bound and in memory-mapped files beyond it.
//
// Every alternative of a span [a, b] trains on the teacher's features at cuts
// a and b over the same images, so they are computed once (teacher_features.h)
// and shared. At 8192 Fashion-MNIST images a 32x14x14 feature takes 205 MB;
// with several cuts and a larger data set that outgrows memory, so a tensor
// that would take the in-memory total past the bound is allocated in a file
// under the spill folder and mapped (MAP_SHARED): the kernel pages it in and
// out, and the process's resident memory stays near the bound. Spill files
// are removed when the cache is destroyed. Allocation reserves the file's
// blocks up front (posix_fallocate), so a full disk is an error here, naming
// the file, not a SIGBUS later.
//
// Tensors returned are views into the cache's storage: they must not outlive
// the cache.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bespoke::house {

class FeatureCache {
 public:
  FeatureCache(int64_t memory_bound_bytes, std::string spill_dir);
  ~FeatureCache();
  FeatureCache(const FeatureCache&) = delete;
  FeatureCache& operator=(const FeatureCache&) = delete;

  // A new zero-filled float32 tensor of `shape` under `name` (which must be
  // new). Throws std::runtime_error naming the spill file when it cannot be
  // created, reserved or mapped.
  at::Tensor allocate(const std::string& name, const std::vector<int64_t>& shape);
  bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
  // Throws std::out_of_range for an unknown name.
  const at::Tensor& get(const std::string& name) const;

  int64_t memory_bytes() const { return memory_bytes_; }
  int64_t spilled_bytes() const { return spilled_bytes_; }

 private:
  struct Mapping;

  int64_t bound_;
  std::string spill_dir_;
  int64_t memory_bytes_ = 0, spilled_bytes_ = 0;
  std::map<std::string, at::Tensor> tensors_;
  std::vector<std::unique_ptr<Mapping>> mappings_;
};

}  // namespace bespoke::house
