#include "runtime_runner.h"

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "bespoke/bespoke.h"
#include "export/bspk_writer.h"
#include "support/graph_builder.h"

namespace bespoke::test {

namespace {

void check(bsp_status status, const char* what) {
  if (status != BSP_OK) throw std::runtime_error(std::string(what) + ": " + bsp_last_error_message());
}

}  // namespace

std::vector<float> run_reference(const ir::Graph& g, const std::vector<float>& input) {
  const std::vector<uint8_t> file = exporter::write_bspk(g);
  bsp_model* raw_model = nullptr;
  check(bsp_model_load_memory(file.data(), file.size(), 1, &raw_model), "bsp_model_load_memory");
  std::unique_ptr<bsp_model, void (*)(bsp_model*)> model(raw_model, bsp_model_destroy);
  bsp_session_options options;
  bsp_session_options_init(&options);
  options.backend = BSP_BACKEND_REFERENCE;
  options.num_threads = 1;
  bsp_session* raw_session = nullptr;
  check(bsp_session_create(model.get(), &options, &raw_session), "bsp_session_create");
  std::unique_ptr<bsp_session, void (*)(bsp_session*)> session(raw_session, bsp_session_destroy);
  check(bsp_session_set_input(session.get(), 0, input.data(), input.size() * sizeof(float)), "bsp_session_set_input");
  check(bsp_session_run(session.get()), "bsp_session_run");
  const void* data = nullptr;
  size_t bytes = 0;
  check(bsp_session_get_output(session.get(), 0, &data, &bytes), "bsp_session_get_output");
  std::vector<float> out(bytes / sizeof(float));
  std::memcpy(out.data(), data, out.size() * sizeof(float));
  return out;
}

std::vector<float> sample_input(const ir::Graph& g, uint32_t seed) {
  const ir::Shape& shape = g.shape_of(g.inputs.at(0));
  return test::random_floats(static_cast<size_t>(ir::shape_elements(shape)), seed);
}

}  // namespace bespoke::test
