#include "backends/onednn/onednn_handles.h"

#include <cstring>

#include <oneapi/dnnl/dnnl_debug.h>

namespace bespoke::rt::onednn {

Status dnnl_status(dnnl_status_t status, const char* what) {
  if (status == dnnl_success) return Status::Ok();
  // `what` is the text of the call; its function name is enough for a message.
  const char* paren = std::strchr(what, '(');
  std::string name = paren != nullptr ? std::string(what, static_cast<size_t>(paren - what)) : std::string(what);
  std::string message = "oneDNN " + name + " failed: " + dnnl_status2str(status);
  if (status == dnnl_unimplemented) return Unsupported(message);
  if (status == dnnl_out_of_memory) return OutOfMemory(message);
  return BackendError(message);
}

}  // namespace bespoke::rt::onednn
