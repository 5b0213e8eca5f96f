// The backends of this build: creation by kind, what is usable on this CPU,
// and the backend list a session is built on.
#pragma once

#include <memory>
#include <vector>

#include "backends/backend.h"
#include "core/status.h"

namespace bespoke::rt {

enum class BackendKind { kAuto = 0, kReference = 1, kXnnpack = 2, kOnednn = 3 };

// "reference", "xnnpack", "onednn" or "auto".
const char* backend_kind_name(BackendKind kind);
// nullptr when the backend is not compiled in or cannot run on this CPU (or for kAuto).
std::unique_ptr<Backend> make_backend(BackendKind kind);
// The optimized backends (XNNPACK, oneDNN) usable here; computed once.
const std::vector<BackendKind>& optimized_backends();
// Comma-separated names of every usable backend, e.g. "reference,xnnpack,onednn".
const char* available_backends();
// [reference] for kReference, else [reference, kind]; Unsupported if `kind` is unavailable.
Status backends_for(BackendKind kind, std::vector<std::unique_ptr<Backend>>* out);

}  // namespace bespoke::rt
