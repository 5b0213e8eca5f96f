// bespoke-convert run as a process: success prints a summary and writes the
// .bspk; failures exit non-zero (< 128) with exactly one line on stderr.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

const std::string kTool = BESPOKE_CONVERT_PATH;
const std::string kWork = BESPOKE_BINARY_DIR "/tests/onnx/cli_work";
const std::string kModel = "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d/model.onnx";

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Run run(const std::string& args) {
  fs::create_directories(kWork);
  const std::string out_file = kWork + "/stdout.txt", err_file = kWork + "/stderr.txt";
  const std::string command = "'" + kTool + "' " + args + " > '" + out_file + "' 2> '" + err_file + "'";
  const int status = std::system(command.c_str());
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  return r;
}

size_t lines(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("bespoke-convert converts a model, prints the summary and writes .bspk and ONNX") {
  if (!fs::exists(kModel)) {
    MESSAGE("skipped: " << kModel << " is absent");
    return;
  }
  const std::string bspk = kWork + "/conv2d.bspk", onnx_out = kWork + "/conv2d_clean.onnx";
  fs::create_directories(kWork);
  fs::remove(bspk);
  fs::remove(onnx_out);
  const Run r = run("'" + kModel + "' -o '" + bspk + "' --onnx-out '" + onnx_out + "'");
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
  const Run r = run("'" + kModel + "' --json");
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
  const Run r = run("'" + bad + "' -o '" + kWork + "/garbage.bspk'");
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code < 128);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("truncated or not an ONNX model") != std::string::npos);
  CHECK_FALSE(fs::exists(kWork + "/garbage.bspk"));

  const Run missing = run("'" + kWork + "/does_not_exist.onnx'");
  CHECK(missing.exit_code == 1);
  CHECK(lines(missing.err) == 1);
  CHECK(missing.err.find("no such file") != std::string::npos);
}

TEST_CASE("bespoke-convert usage errors exit 2 with one line") {
  const Run no_args = run("");
  CHECK(no_args.exit_code == 2);
  CHECK(lines(no_args.err) == 1);
  const Run bad_shape = run("'" + kModel + "' --input-shape x=1,three");
  CHECK(bad_shape.exit_code == 2);
  CHECK(lines(bad_shape.err) == 1);
  CHECK(bad_shape.err.find("'three' is not a positive integer") != std::string::npos);
  const Run help = run("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--input-shape") != std::string::npos);
}
