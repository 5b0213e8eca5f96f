// LoadedModel: the bytes of a .bspk model and its verified ModelView. The
// bytes are a read-only memory map of the file, an owned 64-byte aligned copy
// (when mapping fails, when the caller asks for a copy, or when caller memory
// is misaligned for in-place weights), or borrowed caller memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/aligned_buffer.h"
#include "core/model_view.h"
#include "core/status.h"
#include "core/verifier.h"

namespace bespoke::rt {

class LoadedModel {
 public:
  enum class Storage { kMapped, kOwnedCopy, kBorrowed };

  static Status from_file(const char* path, std::unique_ptr<LoadedModel>* out, const VerifyLimits& limits = {});
  static Status from_memory(const void* data, size_t size, bool copy, std::unique_ptr<LoadedModel>* out,
                            const VerifyLimits& limits = {});

  LoadedModel(const LoadedModel&) = delete;
  LoadedModel& operator=(const LoadedModel&) = delete;
  ~LoadedModel();

  const ModelView& view() const { return view_; }
  const unsigned char* data() const { return data_; }
  size_t size() const { return size_; }
  Storage storage() const { return storage_; }
  // Value of metadata `key`, or nullptr.
  const char* metadata(const char* key) const;

 private:
  LoadedModel() = default;
  Status verify(const VerifyLimits& limits);

  const unsigned char* data_ = nullptr;
  size_t size_ = 0;
  Storage storage_ = Storage::kBorrowed;
  void* mapping_ = nullptr;  // for munmap
  size_t mapping_size_ = 0;
  AlignedBuffer copy_;
  ModelView view_;
};

}  // namespace bespoke::rt
