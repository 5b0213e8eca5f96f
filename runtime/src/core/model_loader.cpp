#include "core/model_loader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>

namespace bespoke::rt {
namespace {

// Closes a file descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string quoted(const char* path) { return std::string("'") + path + "'"; }

Status read_all(int fd, const char* path, unsigned char* dst, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, dst + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot read " + quoted(path) + ": " + std::strerror(errno));
    if (n == 0) return IoError("cannot read " + quoted(path) + ": the file shrank while being read");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

LoadedModel::~LoadedModel() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

Status LoadedModel::from_file(const char* path, std::unique_ptr<LoadedModel>* out, const VerifyLimits& limits) {
  if (path == nullptr || out == nullptr) return InvalidArgument("model path or output handle is null");
  const FileDescriptor fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("cannot open " + quoted(path) + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError("cannot stat " + quoted(path) + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return IoError(quoted(path) + " is not a regular file");
  if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > static_cast<uint64_t>(SIZE_MAX / 2)) {
    return IoError(quoted(path) + " is too large to load on this system");
  }
  const auto size = static_cast<size_t>(st.st_size);

  std::unique_ptr<LoadedModel> model(new (std::nothrow) LoadedModel());
  if (!model) return OutOfMemory("cannot allocate the model");
  void* mapping = size > 0 ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0) : MAP_FAILED;
  if (mapping != MAP_FAILED) {
    // Page-aligned, hence 64-byte aligned: weights are used in place.
    model->mapping_ = mapping;
    model->mapping_size_ = size;
    model->data_ = static_cast<const unsigned char*>(mapping);
    model->storage_ = Storage::kMapped;
  } else {
    if (!model->copy_.allocate(size)) {
      return OutOfMemory("cannot allocate " + std::to_string(size) + " bytes to read " + quoted(path));
    }
    BSP_RETURN_IF_ERROR(read_all(fd.get(), path, model->copy_.data(), size));
    model->data_ = model->copy_.data();
    model->storage_ = Storage::kOwnedCopy;
  }
  model->size_ = size;
  BSP_RETURN_IF_ERROR(model->verify(limits));
  *out = std::move(model);
  return Status::Ok();
}

Status LoadedModel::from_memory(const void* data, size_t size, bool copy, std::unique_ptr<LoadedModel>* out,
                                const VerifyLimits& limits) {
  if (data == nullptr || out == nullptr) return InvalidArgument("model data or output handle is null");
  std::unique_ptr<LoadedModel> model(new (std::nothrow) LoadedModel());
  if (!model) return OutOfMemory("cannot allocate the model");
  // In-place weights need 64-byte alignment; copy misaligned memory.
  if (copy || reinterpret_cast<uintptr_t>(data) % kArenaAlignment != 0) {
    if (!model->copy_.allocate(size)) {
      return OutOfMemory("cannot allocate " + std::to_string(size) + " bytes for a copy of the model");
    }
    if (size > 0) std::memcpy(model->copy_.data(), data, size);
    model->data_ = model->copy_.data();
    model->storage_ = Storage::kOwnedCopy;
  } else {
    model->data_ = static_cast<const unsigned char*>(data);
    model->storage_ = Storage::kBorrowed;
  }
  model->size_ = size;
  BSP_RETURN_IF_ERROR(model->verify(limits));
  *out = std::move(model);
  return Status::Ok();
}

Status LoadedModel::verify(const VerifyLimits& limits) { return verify_model(data_, size_, &view_, limits); }

const char* LoadedModel::metadata(const char* key) const {
  if (key == nullptr) return nullptr;
  const auto* entries = view_.model().metadata();
  if (entries == nullptr) return nullptr;
  for (const fb::KeyValue* kv : *entries) {
    if (kv->key() != nullptr && kv->value() != nullptr && std::strcmp(kv->key()->c_str(), key) == 0) {
      return kv->value()->c_str();
    }
  }
  return nullptr;
}

}  // namespace bespoke::rt
