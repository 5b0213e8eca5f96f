#include "backends/onednn/onednn_context.h"

namespace bespoke::rt::onednn {

Status Context::create(std::shared_ptr<Context>* out) {
  std::shared_ptr<Context> context(new Context());
  dnnl_engine_t engine = nullptr;
  BSP_DNNL_CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
  context->engine_.reset(engine);
  dnnl_stream_t stream = nullptr;
  BSP_DNNL_CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
  context->stream_.reset(stream);
  *out = std::move(context);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
