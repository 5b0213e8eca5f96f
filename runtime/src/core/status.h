// Status: the runtime's error value. No exceptions cross runtime boundaries
// (the minimal build compiles the core with -fno-exceptions).
#pragma once

#include <string>
#include <utility>

namespace bespoke::rt {

// Mirrors bsp_status in bespoke.h one to one.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,
  kIoError = 2,
  kInvalidModel = 3,
  kUnsupported = 4,
  kOutOfMemory = 5,
  kBackendError = 6,
  kInternal = 7,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status InvalidModel(std::string m) { return {StatusCode::kInvalidModel, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status BackendError(std::string m) { return {StatusCode::kBackendError, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status OutOfMemory(std::string m) { return {StatusCode::kOutOfMemory, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

}  // namespace bespoke::rt

#define BSP_RETURN_IF_ERROR(expr)               \
  do {                                          \
    ::bespoke::rt::Status bsp_status_ = (expr); \
    if (!bsp_status_.ok()) return bsp_status_;  \
  } while (0)
