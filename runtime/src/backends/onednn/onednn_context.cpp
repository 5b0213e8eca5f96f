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
  const unsigned isa = static_cast<unsigned>(dnnl_get_effective_cpu_isa());
  const unsigned avx512 = static_cast<unsigned>(dnnl_cpu_isa_avx512_core);
  context->has_avx512_ = (isa & avx512) == avx512;
  *out = std::move(context);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
