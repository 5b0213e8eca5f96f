// The runtime's verifier (an independent reader of the format, written
// against schema/FORMAT.md) accepts what write_bspk produces, inline and with
// external data.
#include <doctest/doctest.h>

#include <cstring>
#include <memory>

#include "core/verifier.h"
#include "export/bspk_writer.h"
#include "graph_fixtures.h"

using namespace bespoke;

namespace {

// verify_model needs 64-byte aligned memory for in-place weights.
std::string runtime_verdict(const std::vector<uint8_t>& file) {
  const size_t padded = (file.size() + 63) / 64 * 64;
  std::unique_ptr<void, decltype(&std::free)> memory(std::aligned_alloc(64, padded), &std::free);
  REQUIRE(memory != nullptr);
  std::memcpy(memory.get(), file.data(), file.size());
  rt::ModelView view;
  rt::Status status = rt::verify_model(memory.get(), file.size(), &view);
  return status.ok() ? "ok" : status.message();
}

}  // namespace

TEST_CASE("the runtime verifier accepts every canonical op as written") {
  ir::Graph g = test::every_op_graph();
  test::add_blocks_of_every_kind(g);
  for (bool external : {false, true}) {
    CAPTURE(external);
    exporter::BspkWriteOptions options;
    options.external_data = external;
    CHECK(runtime_verdict(exporter::write_bspk(g, options)) == "ok");
  }
  CHECK(runtime_verdict(exporter::write_bspk(test::small_graph())) == "ok");
}
