// bespoke-agent on loopback: whole measurements, outputs equal to a local
// run bit for bit, and every kind of bad client getting its error while the
// agent keeps serving the next one. Each test starts and stops its agent.
#include <doctest/doctest.h>

#include <cstring>

#include "bespoke/bespoke.hpp"
#include "common/cpu_description.h"
#include "common/tool_support.h"
#include "running_agent.h"

namespace agent = bespoke::agent;
using bespoke::test::kToken;
using bespoke::test::RawConnection;
using bespoke::test::RunningAgent;

TEST_CASE("the agent measures two models interleaved, with per-block medians per round") {
  RunningAgent running;
  agent::AgentClient client = agent::AgentClient::connect(running.address(), kToken);

  const agent::Device& device = client.device();
  const bespoke::tools::CpuDescription cpu = bespoke::tools::describe_cpu();
  CHECK(device.protocol_version == agent::kProtocolVersion);
  CHECK(device.api_version == bsp_api_version());
  CHECK(device.runtime_version == bsp_runtime_version());
  CHECK(device.cpu == cpu.name);
  CHECK(device.cores == cpu.cores);
  CHECK(device.isa == cpu.isa);
  CHECK(device.available_backends == bespoke::available_backends());

  agent::MeasureRequest request;
  request.models = {bespoke::test::small_cnn_model(1), bespoke::test::small_cnn_model(2)};
  request.settings = bespoke::test::reference_settings();
  request.warmup = 1;
  request.runs = 4;
  request.rounds = 2;
  const agent::MeasureReply reply = client.measure(request);

  // What a local session of the same model reports (sizes do not depend on timing).
  const std::vector<uint8_t> bytes = bespoke::test::small_cnn_model(1);
  const bespoke::Model model = bespoke::Model::load_memory(bytes.data(), bytes.size());
  const bespoke::Session local(model, bespoke::SessionOptions().backend(BSP_BACKEND_REFERENCE).profiling(true));

  REQUIRE(reply.models.size() == 2);
  for (const agent::ModelMeasurement& m : reply.models) {
    REQUIRE(m.rounds.size() == 2);
    for (const agent::Round& round : m.rounds) {
      CHECK(round.min_ms > 0.0);
      CHECK(round.min_ms <= round.median_ms);
      CHECK(round.median_ms <= round.p90_ms);
      CHECK(round.p90_ms < 1000.0);
    }
    REQUIRE(m.blocks.size() == 2);
    CHECK(m.blocks[0].name == "features");
    CHECK(m.blocks[1].name == "head");
    CHECK(m.blocks[0].id == 0);
    CHECK(m.blocks[1].id == 1);
    CHECK(m.operators.empty());  // not asked for
    for (const agent::ProfileTime& block : m.blocks) {
      CHECK(block.kind == "block");
      CHECK(block.backend == "reference");
      REQUIRE(block.median_ms.size() == 2);
      for (size_t r = 0; r < 2; ++r) {
        CHECK(block.median_ms[r] > 0.0);
        CHECK(block.median_ms[r] <= m.rounds[r].p90_ms);  // a block is part of the run
      }
    }
    CHECK(m.arena_bytes == local.arena_bytes());
    CHECK(m.weights_bytes == local.weights_bytes());
    REQUIRE(m.backends.size() == 1);
    CHECK(m.backends[0].backend == "reference");
    CHECK(m.backends[0].operators == 6);
  }

  SUBCASE("per-operator medians, with the kind and backend of each operator") {
    request.profile_operators = true;
    request.models.resize(1);
    const agent::MeasureReply profiled = client.measure(request);
    REQUIRE(profiled.models.size() == 1);
    const std::vector<agent::ProfileTime>& ops = profiled.models[0].operators;
    REQUIRE(ops.size() == 6);
    const std::vector<std::string> kinds{"CONV_2D", "MAX_POOL_2D",     "GLOBAL_AVERAGE_POOL",
                                         "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"};
    for (size_t i = 0; i < ops.size(); ++i) {
      CHECK(ops[i].id == i);
      CHECK(ops[i].kind == kinds[i]);
      CHECK(ops[i].backend == "reference");
      REQUIRE(ops[i].median_ms.size() == 2);
      CHECK(ops[i].median_ms[0] >= 0.0);
    }
    CHECK(ops[0].name == "conv");
    CHECK(profiled.models[0].blocks.size() == 2);
  }

  SUBCASE("without the profiler there are rounds but no blocks") {
    request.profile_blocks = false;
    request.models.resize(1);
    const agent::MeasureReply unprofiled = client.measure(request);
    REQUIRE(unprofiled.models.size() == 1);
    CHECK(unprofiled.models[0].rounds.size() == 2);
    CHECK(unprofiled.models[0].blocks.empty());
  }
}

TEST_CASE("outputs returned by the agent equal a local C API run bit for bit") {
  RunningAgent running;
  agent::AgentClient client = agent::AgentClient::connect(running.address(), kToken);
  for (const std::string& backend : bespoke::tools::backend_names()) {
    if (backend != "auto" && bespoke::available_backends().find(backend) == std::string::npos) continue;
    for (int threads : bespoke::test::test_thread_counts()) {
      CAPTURE(backend);
      CAPTURE(threads);
      agent::RunRequest request = bespoke::test::small_run_request(11);
      request.settings.backend = backend;
      request.settings.threads = threads;
      const agent::RunReply reply = client.run(request);

      const bespoke::Model model = bespoke::Model::load_memory(request.model.data(), request.model.size());
      bespoke::Session local(
          model, bespoke::SessionOptions().backend(bespoke::tools::parse_backend(backend)).threads(threads));
      local.set_input(0, request.inputs[0].data);
      local.run();
      const std::vector<float> expected = local.output(0);

      REQUIRE(reply.outputs.size() == 1);
      CHECK(reply.outputs[0].name == "probs");
      CHECK(reply.outputs[0].dims == std::vector<int64_t>{1, 3});
      REQUIRE(reply.outputs[0].data.size() == expected.size());
      CHECK(std::memcmp(reply.outputs[0].data.data(), expected.data(), expected.size() * sizeof(float)) == 0);
      size_t operators = 0;
      for (const agent::BackendUse& use : reply.backends) operators += use.operators;
      CHECK(operators == 6);
    }
  }
}

TEST_CASE("a wrong token is refused and the agent serves the next client") {
  RunningAgent running;
  try {
    (void)agent::AgentClient::connect(running.address(), "wrong horse battery staple");
    FAIL("the agent accepted a wrong token");
  } catch (const agent::AgentError& e) {
    CHECK(e.status() == agent::kWrongToken);
    CHECK(std::string(e.what()).find("wrong token") != std::string::npos);
  }
  try {
    (void)agent::AgentClient::connect(running.address(), kToken + "x");  // a longer token with the right prefix
    FAIL("the agent accepted a longer token");
  } catch (const agent::AgentError& e) {
    CHECK(e.status() == agent::kWrongToken);
  }
  bespoke::test::check_still_serving(running);
}

TEST_CASE("a hello that is not one, or of another version, is refused") {
  RunningAgent running;
  {
    RawConnection raw(running);
    raw.hello(kToken, agent::kProtocolVersion + 1);
    const agent::ErrorReply error = raw.receive_error();
    CHECK(error.status == agent::kWrongVersion);
    CHECK(error.message.find("protocol version 2") != std::string::npos);
    CHECK(raw.closed_by_agent());
  }
  {
    RawConnection raw(running);
    raw.send({'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1'});
    CHECK(raw.receive_error().status == agent::kBadMessage);
    CHECK(raw.closed_by_agent());
  }
  bespoke::test::check_still_serving(running);
}

TEST_CASE("a truncated message gets an error and the same connection serves the next request") {
  RunningAgent running;
  RawConnection raw(running);
  raw.hello();
  REQUIRE(std::holds_alternative<agent::Device>(raw.receive()));
  std::vector<uint8_t> message = agent::encode_request(bespoke::test::small_run_request());
  message.resize(message.size() / 2);
  raw.send_frame(message);
  const agent::ErrorReply error = raw.receive_error();
  CHECK(error.status == agent::kBadMessage);
  CHECK(error.message.find("malformed") != std::string::npos);

  raw.send_frame(agent::encode_request(bespoke::test::small_run_request()));
  const agent::Reply reply = raw.receive();
  REQUIRE(std::holds_alternative<agent::RunReply>(reply));
  CHECK(std::get<agent::RunReply>(reply).outputs.size() == 1);
}

TEST_CASE("an oversized length field is refused without reading on, and the agent serves the next client") {
  RunningAgent running;
  {
    RawConnection raw(running);
    raw.hello();
    REQUIRE(std::holds_alternative<agent::Device>(raw.receive()));
    raw.send({0xff, 0xff, 0xff, 0xff});
    const agent::ErrorReply error = raw.receive_error();
    CHECK(error.status == agent::kTooLarge);
    CHECK(error.message.find("4294967295 bytes is over the limit") != std::string::npos);
    CHECK(raw.closed_by_agent());
  }
  {
    RawConnection raw(running);
    raw.send({'B', 'S', 'P', 'A', 1, 0, 0, 0, 0x00, 0x10, 0, 0});  // a 4096-byte token
    CHECK(raw.receive_error().status == agent::kBadMessage);
  }
  bespoke::test::check_still_serving(running);
}

TEST_CASE("a corrupt model gets the verifier's error and the connection goes on") {
  RunningAgent running;
  agent::AgentClient client = agent::AgentClient::connect(running.address(), kToken);
  agent::RunRequest request = bespoke::test::small_run_request();
  SUBCASE("truncated") { request.model.resize(request.model.size() / 2); }
  SUBCASE("bytes flipped in the middle") {
    for (size_t i = request.model.size() / 3; i < request.model.size() / 3 + 64; ++i) request.model[i] ^= 0x5a;
  }
  SUBCASE("not a model") { request.model.assign(1000, 0x41); }
  try {
    (void)client.run(request);
    FAIL("a corrupt model ran");
  } catch (const agent::AgentError& e) {
    CHECK(e.status() == BSP_ERROR_INVALID_MODEL);
  }
  agent::MeasureRequest measure;
  measure.models = {request.model};
  CHECK_THROWS_AS((void)client.measure(measure), agent::AgentError);
  CHECK(client.run(bespoke::test::small_run_request()).outputs.size() == 1);
}

TEST_CASE("requests that do not fit their limits or their model get their error") {
  RunningAgent running;
  agent::AgentClient client = agent::AgentClient::connect(running.address(), kToken);
  agent::MeasureRequest measure;
  measure.models = {bespoke::test::small_cnn_model()};
  measure.runs = 0;
  try {
    (void)client.measure(measure);
    FAIL("runs = 0 was accepted");
  } catch (const agent::AgentError& e) {
    CHECK(e.status() == agent::kBadMessage);
    CHECK(std::string(e.what()).find("runs 0 is outside") != std::string::npos);
  }
  agent::RunRequest run = bespoke::test::small_run_request();
  run.inputs[0].dims = {1, 3, 4, 16};  // same element count, wrong shape
  try {
    (void)client.run(run);
    FAIL("a wrong input shape was accepted");
  } catch (const agent::AgentError& e) {
    CHECK(e.status() == BSP_ERROR_INVALID_ARGUMENT);
  }
  run.inputs.clear();
  CHECK_THROWS_AS((void)client.run(run), agent::AgentError);
  CHECK(client.run(bespoke::test::small_run_request()).outputs.size() == 1);
}

TEST_CASE("a client that disconnects mid-message leaves the agent serving") {
  RunningAgent running;
  {
    RawConnection raw(running);
    raw.hello();
    REQUIRE(std::holds_alternative<agent::Device>(raw.receive()));
    std::vector<uint8_t> bytes = RawConnection::framed(agent::encode_request(bespoke::test::small_run_request()));
    bytes.resize(100);
    raw.send(bytes);
    raw.close();
  }
  CHECK(running.logged("connection closed after 96 of"));
  {
    RawConnection raw(running);
    raw.send({'B', 'S', 'P'});  // inside the hello
    raw.close();
  }
  CHECK(running.logged("connection closed during the hello"));
  bespoke::test::check_still_serving(running);
}

TEST_CASE("a client that stalls gets a timeout and the agent serves the next client") {
  RunningAgent running(/*timeout_ms=*/300);
  {
    RawConnection raw(running);  // says nothing at all
    const agent::ErrorReply error = raw.receive_error();
    CHECK(error.status == agent::kTimeout);
    CHECK(error.message.find("hello") != std::string::npos);
  }
  {
    RawConnection raw(running);
    raw.hello();
    REQUIRE(std::holds_alternative<agent::Device>(raw.receive()));
    std::vector<uint8_t> bytes = RawConnection::framed(agent::encode_request(bespoke::test::small_run_request()));
    bytes.resize(50);
    raw.send(bytes);  // and then nothing
    const agent::ErrorReply error = raw.receive_error();
    CHECK(error.status == agent::kTimeout);
    CHECK(error.message.find("timed out after 46 of") != std::string::npos);
    CHECK(raw.closed_by_agent());
  }
  bespoke::test::check_still_serving(running);
}
