// Owning wrappers for oneDNN C API handles and the translation of a
// dnnl_status_t into our Status. The backend uses the C API only, so nothing
// here throws; every oneDNN call goes through BSP_DNNL_CHECK, which turns a
// failure into a BackendError naming the call.
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include <oneapi/dnnl/dnnl.h>

#include "core/status.h"

namespace bespoke::rt::onednn {

template <typename Handle, dnnl_status_t (*Destroy)(Handle)>
struct HandleDestroyer {
  void operator()(Handle handle) const {
    if (handle != nullptr) Destroy(handle);
  }
};

// unique_ptr over a oneDNN handle type (which is itself a pointer).
template <typename Handle, dnnl_status_t (*Destroy)(Handle)>
using OwnedHandle = std::unique_ptr<std::remove_pointer_t<Handle>, HandleDestroyer<Handle, Destroy>>;

using EnginePtr = OwnedHandle<dnnl_engine_t, dnnl_engine_destroy>;
using StreamPtr = OwnedHandle<dnnl_stream_t, dnnl_stream_destroy>;
using MemoryPtr = OwnedHandle<dnnl_memory_t, dnnl_memory_destroy>;
using PrimitiveDescPtr = OwnedHandle<dnnl_primitive_desc_t, dnnl_primitive_desc_destroy>;
using PrimitivePtr = OwnedHandle<dnnl_primitive_t, dnnl_primitive_destroy>;
using AttrPtr = OwnedHandle<dnnl_primitive_attr_t, dnnl_primitive_attr_destroy>;
using PostOpsPtr = OwnedHandle<dnnl_post_ops_t, dnnl_post_ops_destroy>;

// Ok for dnnl_success; otherwise "oneDNN <what> failed: <status name>", as
// kUnsupported for dnnl_unimplemented (no implementation for these
// parameters) and kBackendError for everything else.
Status dnnl_status(dnnl_status_t status, const char* what);

}  // namespace bespoke::rt::onednn

// Evaluates a oneDNN call and returns its Status from the enclosing function
// when it fails. The call's text names it in the message.
#define BSP_DNNL_CHECK(call) BSP_RETURN_IF_ERROR(::bespoke::rt::onednn::dnnl_status((call), #call))
