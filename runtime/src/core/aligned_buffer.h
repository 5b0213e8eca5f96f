// AlignedBuffer: an owned, 64-byte aligned heap block that reports failure
// instead of throwing (the core builds with -fno-exceptions in minimal mode).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <utility>

namespace bespoke::rt {

inline constexpr size_t kArenaAlignment = 64;

// Spare bytes after every session-owned block: XNNPACK kernels may read up to
// XNN_EXTRA_BYTES (16) past the end of an input, and the last tensor of a
// block would otherwise end exactly at the end of the allocation.
inline constexpr size_t kKernelOverreadBytes = 64;

inline size_t align_up(size_t n, size_t alignment) { return (n + alignment - 1) / alignment * alignment; }

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  AlignedBuffer(AlignedBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ~AlignedBuffer() { std::free(data_); }

  // Replaces the contents with `size` uninitialized bytes; false on failure
  // (or overflow). A zero size yields a valid, empty buffer.
  bool allocate(size_t size) {
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
    if (size > static_cast<size_t>(-1) - kArenaAlignment) return false;
    data_ = static_cast<unsigned char*>(
        std::aligned_alloc(kArenaAlignment, align_up(size == 0 ? 1 : size, kArenaAlignment)));
    if (data_ == nullptr) return false;
    size_ = size;
    return true;
  }

  unsigned char* data() { return data_; }
  const unsigned char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace bespoke::rt
