// Writes the agent fuzzer's seed corpus: one valid message of every kind
// (so mutations start inside the verifier and the field checks).
//   fuzz_write_agent_seeds <dir>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "agent/protocol.h"
#include "runtime/test_models.h"

namespace {

using namespace bespoke::agent;

void write(const std::filesystem::path& dir, const std::string& name, const std::vector<uint8_t>& bytes) {
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_write_agent_seeds <dir>\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  MeasureRequest measure;
  measure.models = {bespoke::test::small_cnn_model()};
  measure.settings = {"xnnpack", 2};
  measure.profile_operators = true;
  write(dir, "measure_request", encode_request(measure));
  RunRequest run;
  run.model = {1, 2, 3, 4};
  run.inputs.push_back({"x", {1, 2, 2}, {1, 2, 3, 4}});
  write(dir, "run_request", encode_request(run));
  write(dir, "device", encode_reply(Device{1, "cpu", 4, "neon", 200, 2, "reference"}));
  ModelMeasurement m;
  m.rounds = {{1, 2, 0.5}};
  m.blocks = {{0, "stem", "block", "xnnpack", {0.25}}};
  m.operators = {{0, "stem.conv", "CONV_2D", "xnnpack", {0.125}}};
  m.backends = {{"xnnpack", 3}};
  write(dir, "measure_reply", encode_reply(MeasureReply{{m}}));
  write(dir, "run_reply", encode_reply(RunReply{{{"y", {1, 2}, {0.5f, 0.5f}}}, {{"reference", 6}}}));
  write(dir, "error_reply", encode_reply(ErrorReply{3, "invalid model"}));
  write(dir, "hello", encode_hello(kProtocolVersion, "token"));
  return 0;
}
