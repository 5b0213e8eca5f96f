// Factories for backends that are not compiled into this build return
// nullptr, so the session can ask for any backend by name on any build.
#include "backends/backend.h"

namespace bespoke::rt {

#if !defined(BESPOKE_HAVE_XNNPACK)
std::unique_ptr<Backend> make_xnnpack_backend() { return nullptr; }
#endif
#if !defined(BESPOKE_HAVE_ONEDNN)
std::unique_ptr<Backend> make_onednn_backend() { return nullptr; }
#endif

}  // namespace bespoke::rt
