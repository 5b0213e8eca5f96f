// The bespoke-agent program itself, as a device runs it: started with a
// token file on a free loopback port and --max-clients 1, it serves one
// client (a measurement and a run of the small CNN) and exits.
//
// BESPOKE_AGENT_COMMAND replaces the program, e.g. the aarch64 build under
// qemu ("scripts/run-emulated aarch64 build-aarch64/bin/bespoke-agent",
// scripts/test-cross): the x86-64 client then measures across architectures,
// and outputs are compared with a tolerance instead of bit for bit.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bespoke/bespoke.hpp"
#include "running_agent.h"
#include "support/compare.h"

namespace agent = bespoke::agent;

namespace {

// The agent program, started by popen(); pclose() waits for it to exit.
class AgentProcess {
 public:
  explicit AgentProcess(const std::string& command) {
    const std::string token_file = std::string(BESPOKE_BINARY_DIR) + "/tests/agent/binary_test_token";
    std::ofstream(token_file) << bespoke::test::kToken << "\n";
    // `timeout` bounds a run that goes wrong; the agent exits by itself after one client.
    const std::string line = "exec timeout 120 " + command + " --listen 127.0.0.1:0 --token-file " + token_file +
                             " --max-clients 1 --timeout-ms 20000";
    pipe_ = ::popen(line.c_str(), "r");
    REQUIRE(pipe_ != nullptr);
    char text[256] = {};
    REQUIRE(std::fgets(text, sizeof text, pipe_) != nullptr);
    const std::string first(text);
    const size_t at = first.find(" port ");
    REQUIRE_MESSAGE(at != std::string::npos, first);
    port_ = std::atoi(first.c_str() + at + 6);
    REQUIRE(port_ > 0);
  }
  ~AgentProcess() { exit_code(); }
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int exit_code() {
    if (pipe_ != nullptr) {
      status_ = ::pclose(pipe_);
      pipe_ = nullptr;
    }
    return status_;
  }

 private:
  FILE* pipe_ = nullptr;
  int port_ = 0;
  int status_ = -1;
};

}  // namespace

TEST_CASE("the bespoke-agent program serves a measurement and a run, then exits after --max-clients") {
  const char* override_command = std::getenv("BESPOKE_AGENT_COMMAND");
  const bool same_program = override_command == nullptr;
  AgentProcess process(same_program ? std::string(BESPOKE_BINARY_DIR) + "/bin/bespoke-agent" : override_command);
  {
    agent::ClientTimeouts timeouts;
    timeouts.connect_ms = 30000;
    agent::AgentClient client = agent::AgentClient::connect(process.address(), bespoke::test::kToken, timeouts);
    CHECK(client.device().api_version == bsp_api_version());
    CHECK(client.device().runtime_version == bsp_runtime_version());
    MESSAGE("agent device: " << client.device().cpu << " (" << client.device().isa << ")");

    agent::MeasureRequest measure;
    measure.models = {bespoke::test::small_cnn_model()};
    measure.settings = bespoke::test::reference_settings();
    measure.warmup = 1;
    measure.runs = 3;
    measure.rounds = 2;
    const agent::MeasureReply reply = client.measure(measure);
    REQUIRE(reply.models.size() == 1);
    CHECK(reply.models[0].rounds.size() == 2);
    REQUIRE(reply.models[0].blocks.size() == 2);
    CHECK(reply.models[0].blocks[1].name == "head");
    CHECK(reply.models[0].blocks[1].median_ms[1] > 0.0);

    const agent::RunRequest request = bespoke::test::small_run_request(5);
    const agent::RunReply run = client.run(request);
    const bespoke::Model model = bespoke::Model::load_memory(request.model.data(), request.model.size());
    bespoke::Session local(model, bespoke::SessionOptions().backend(BSP_BACKEND_REFERENCE));
    local.set_input(0, request.inputs[0].data);
    local.run();
    REQUIRE(run.outputs.size() == 1);
    if (same_program) {
      CHECK(run.outputs[0].data == local.output(0));
    } else {  // another CPU: the same reference math, summed with other instructions
      bespoke::test::check_close(run.outputs[0].data, local.output(0));
    }
  }
  CHECK(process.exit_code() == 0);
}
