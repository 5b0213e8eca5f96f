// bespoke-convert run as a process: success prints a summary and writes the
// .bspk; failures exit non-zero (< 128) with exactly one line on stderr.
#include <doctest/doctest.h>


#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/run_tool.h"
#include "support/test_assets.h"

namespace fs = std::filesystem;

namespace {

const std::string kTool = BESPOKE_CONVERT_PATH;
const std::string kWork = BESPOKE_BINARY_DIR "/tests/onnx/cli_work";
const std::string kModel = "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d/model.onnx";

bespoke::test::ToolRun run(const std::string& args) { return bespoke::test::run_tool(kTool, args, kWork); }

}  // namespace

TEST_CASE("bespoke-convert converts a model, prints the summary and writes .bspk and ONNX") {
  if (!bespoke::test::require_asset(kModel, "package libonnx-testdata")) return;
  const std::string bspk = kWork + "/conv2d.bspk", onnx_out = kWork + "/conv2d_clean.onnx";
  fs::create_directories(kWork);
  fs::remove(bspk);
  fs::remove(onnx_out);
  const bespoke::test::ToolRun r = run("'" + kModel + "' -o '" + bspk + "' --onnx-out '" + onnx_out + "'");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("ops:         Conv 1\n") != std::string::npos);
  CHECK(r.out.find("parameters:") != std::string::npos);
  CHECK(r.out.find("FLOPs:") != std::string::npos);
  INFO(r.out);
  CHECK(fs::exists(bspk));
  CHECK(fs::file_size(bspk) > 0);
  CHECK(fs::exists(onnx_out));
}

TEST_CASE("bespoke-convert --json summary has the op counts and parameters") {
  if (!fs::exists(kModel)) return;
  const bespoke::test::ToolRun r = run("'" + kModel + "' --json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("op_counts").at("Conv").get<int>() == 1);
  CHECK(j.at("parameters").get<int64_t>() > 0);
  CHECK(j.at("flops").get<int64_t>() > 0);
  CHECK(j.at("inputs").size() == 1);
}

TEST_CASE("bespoke-convert on a bad file: non-zero exit and one line on stderr") {
  fs::create_directories(kWork);
  const std::string bad = kWork + "/garbage.onnx";
  std::ofstream(bad, std::ios::binary) << std::string(1000, '\x07') << "not a model";
  const bespoke::test::ToolRun r = run("'" + bad + "' -o '" + kWork + "/garbage.bspk'");
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code < 128);
  CHECK(bespoke::test::count_lines(r.err) == 1);
  CHECK(r.err.find("truncated or not an ONNX model") != std::string::npos);
  CHECK_FALSE(fs::exists(kWork + "/garbage.bspk"));

  const bespoke::test::ToolRun missing = run("'" + kWork + "/does_not_exist.onnx'");
  CHECK(missing.exit_code == 1);
  CHECK(bespoke::test::count_lines(missing.err) == 1);
  CHECK(missing.err.find("no such file") != std::string::npos);
}

TEST_CASE("bespoke-convert usage errors exit 2 with one line") {
  const bespoke::test::ToolRun no_args = run("");
  CHECK(no_args.exit_code == 2);
  CHECK(bespoke::test::count_lines(no_args.err) == 1);
  const bespoke::test::ToolRun bad_shape = run("'" + kModel + "' --input-shape x=1,three");
  CHECK(bad_shape.exit_code == 2);
  CHECK(bespoke::test::count_lines(bad_shape.err) == 1);
  CHECK(bad_shape.err.find("'three' is not a positive integer") != std::string::npos);
  const bespoke::test::ToolRun help = run("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--input-shape") != std::string::npos);
}
