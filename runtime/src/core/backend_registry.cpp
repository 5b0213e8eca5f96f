// Factories for backends that are not compiled into this build return
// nullptr, so the session can ask for any backend by name on any build.
#include "core/backend_registry.h"

#include <string>

namespace bespoke::rt {

#if !defined(BESPOKE_HAVE_XNNPACK)
std::unique_ptr<Backend> make_xnnpack_backend() { return nullptr; }
#endif
#if !defined(BESPOKE_HAVE_ONEDNN)
std::unique_ptr<Backend> make_onednn_backend() { return nullptr; }
#endif

const char* backend_kind_name(BackendKind kind) {
  switch (kind) {
    case BackendKind::kAuto: return "auto";
    case BackendKind::kReference: return "reference";
    case BackendKind::kXnnpack: return "xnnpack";
    case BackendKind::kOnednn: return "onednn";
  }
  return "unknown";
}

std::unique_ptr<Backend> make_backend(BackendKind kind) {
  switch (kind) {
    case BackendKind::kReference: return make_reference_backend();
    case BackendKind::kXnnpack: return make_xnnpack_backend();
    case BackendKind::kOnednn: return make_onednn_backend();
    case BackendKind::kAuto: break;
  }
  return nullptr;
}

const std::vector<BackendKind>& optimized_backends() {
  static const std::vector<BackendKind> kinds = [] {
    std::vector<BackendKind> available;
    for (BackendKind k : {BackendKind::kXnnpack, BackendKind::kOnednn}) {
      if (make_backend(k) != nullptr) available.push_back(k);
    }
    return available;
  }();
  return kinds;
}

const char* available_backends() {
  static const std::string names = [] {
    std::string list = make_reference_backend() != nullptr ? "reference" : "";
    for (BackendKind k : optimized_backends()) list += std::string(list.empty() ? "" : ",") + backend_kind_name(k);
    return list;
  }();
  return names.c_str();
}

Status backends_for(BackendKind kind, std::vector<std::unique_ptr<Backend>>* out) {
  out->clear();
  std::unique_ptr<Backend> reference = make_reference_backend();
  if (!reference) return Internal("the reference backend is missing from this build");
  out->push_back(std::move(reference));
  if (kind == BackendKind::kReference) return Status::Ok();
  std::unique_ptr<Backend> backend = make_backend(kind);
  if (!backend) {
    return Unsupported(std::string("backend '") + backend_kind_name(kind) +
                       "' is not available in this build or on this CPU (available: " + available_backends() + ")");
  }
  out->push_back(std::move(backend));
  return Status::Ok();
}

}  // namespace bespoke::rt
