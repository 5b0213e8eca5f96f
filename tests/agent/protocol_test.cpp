// The agent's message codec: every message survives encode -> decode
// unchanged, and decoding refuses the wrong direction, broken bytes and
// fields over their limits with a one-line error.
#include <doctest/doctest.h>

#include "agent/protocol.h"

namespace agent = bespoke::agent;

namespace {

// encode, then decode: the message as the other side sees it.
template <typename Message, typename Encode, typename Decode>
Message decoded(const Message& message, Encode encode, Decode decode) {
  const std::vector<uint8_t> bytes = encode(message);
  Message out;
  std::string error;
  REQUIRE_MESSAGE(decode(bytes.data(), bytes.size(), &out, &error), error);
  return out;
}
agent::Reply decoded_reply(const agent::Reply& reply) {
  return decoded(reply, agent::encode_reply, agent::decode_reply);
}
agent::Request decoded_request(const agent::Request& request) {
  return decoded(request, agent::encode_request, agent::decode_request);
}

std::string request_error(const agent::Request& request) {
  const std::vector<uint8_t> bytes = agent::encode_request(request);
  agent::Request out;
  std::string error;
  CHECK_FALSE(agent::decode_request(bytes.data(), bytes.size(), &out, &error));
  return error;
}

}  // namespace

TEST_CASE("requests round-trip") {
  agent::MeasureRequest m;
  m.models = {{1, 2, 3}, {4, 5}};
  m.settings = {"xnnpack", 2};
  m.warmup = 7;
  m.runs = 9;
  m.rounds = 4;
  m.profile_blocks = false;
  m.seed = 42;
  m.profile_operators = true;
  const auto back = std::get<agent::MeasureRequest>(decoded_request(m));
  CHECK(back.models == m.models);
  CHECK(back.settings.backend == "xnnpack");
  CHECK(back.settings.threads == 2);
  CHECK(back.warmup == 7);
  CHECK(back.runs == 9);
  CHECK(back.rounds == 4);
  CHECK_FALSE(back.profile_blocks);
  CHECK(back.seed == 42);
  CHECK(back.profile_operators);

  agent::RunRequest r;
  r.model = {9, 9, 9};
  r.settings = {"onednn", 0};
  r.inputs.push_back({"x", {1, 2}, {0.5f, -1.25f}});
  const auto run = std::get<agent::RunRequest>(decoded_request(r));
  CHECK(run.model == r.model);
  CHECK(run.settings.backend == "onednn");
  CHECK(run.settings.threads == 0);
  REQUIRE(run.inputs.size() == 1);
  CHECK(run.inputs[0].name == "x");
  CHECK(run.inputs[0].dims == std::vector<int64_t>{1, 2});
  CHECK(run.inputs[0].data == std::vector<float>{0.5f, -1.25f});
}

TEST_CASE("replies round-trip") {
  agent::Device d{1, "Some CPU", 8, "neon,dot", 200, 2, "reference,xnnpack"};
  const auto device = std::get<agent::Device>(decoded_reply(d));
  CHECK(device.cpu == "Some CPU");
  CHECK(device.cores == 8);
  CHECK(device.isa == "neon,dot");
  CHECK(device.runtime_version == 200);
  CHECK(device.api_version == 2);
  CHECK(device.available_backends == "reference,xnnpack");

  agent::ModelMeasurement mm;
  mm.rounds = {{1.5, 2.5, 1.25}, {1.0, 2.0, 0.5}};
  mm.blocks = {{3, "stem", "block", "mixed", {0.25, 0.5}}};
  mm.operators = {{0, "stem.conv", "CONV_2D", "onednn", {0.125, 0.25}}, {1, "stem.pool", "MAX_POOL_2D", "xnnpack", {}}};
  mm.arena_bytes = 1ull << 33;
  mm.weights_bytes = 12345;
  mm.backends = {{"onednn", 5}, {"xnnpack", 2}};
  const auto measure = std::get<agent::MeasureReply>(decoded_reply(agent::MeasureReply{{mm}}));
  REQUIRE(measure.models.size() == 1);
  const agent::ModelMeasurement& back = measure.models[0];
  REQUIRE(back.rounds.size() == 2);
  CHECK(back.rounds[1].median_ms == 1.0);
  CHECK(back.rounds[0].p90_ms == 2.5);
  CHECK(back.rounds[0].min_ms == 1.25);
  REQUIRE(back.blocks.size() == 1);
  CHECK(back.blocks[0].id == 3);
  CHECK(back.blocks[0].name == "stem");
  CHECK(back.blocks[0].kind == "block");
  CHECK(back.blocks[0].backend == "mixed");
  REQUIRE(back.operators.size() == 2);
  CHECK(back.operators[0].kind == "CONV_2D");
  CHECK(back.operators[0].median_ms == std::vector<double>{0.125, 0.25});
  CHECK(back.operators[1].name == "stem.pool");
  CHECK(back.operators[1].backend == "xnnpack");
  CHECK(back.blocks[0].median_ms == std::vector<double>{0.25, 0.5});
  CHECK(back.arena_bytes == (1ull << 33));
  CHECK(back.weights_bytes == 12345);
  REQUIRE(back.backends.size() == 2);
  CHECK(back.backends[1].backend == "xnnpack");
  CHECK(back.backends[1].operators == 2);

  const auto error = std::get<agent::ErrorReply>(decoded_reply(agent::ErrorReply{3, "bad model"}));
  CHECK(error.status == 3);
  CHECK(error.message == "bad model");
}

TEST_CASE("decoding refuses the wrong direction, broken bytes and fields over their limits") {
  std::string error;
  agent::Request request;
  agent::Reply reply;
  const std::vector<uint8_t> a_reply = agent::encode_reply(agent::ErrorReply{1, "x"});
  CHECK_FALSE(agent::decode_request(a_reply.data(), a_reply.size(), &request, &error));
  CHECK(error == "a reply was sent to the agent");
  agent::RunRequest run;
  run.model = {1};
  const std::vector<uint8_t> a_request = agent::encode_request(run);
  CHECK_FALSE(agent::decode_reply(a_request.data(), a_request.size(), &reply, &error));
  CHECK(error == "a request was sent to the client");
  // (Not the last byte alone: the end of a FlatBuffer may be alignment padding.)
  for (size_t cut : {size_t{0}, size_t{3}, a_request.size() / 2}) {
    CHECK_FALSE(agent::decode_request(a_request.data(), cut, &request, &error));
  }

  CHECK(request_error(agent::MeasureRequest{}) == "a measure request has no model");
  agent::MeasureRequest m;
  m.models = {{1}};
  m.rounds = agent::Limits::kRounds + 1;
  CHECK(request_error(m) == "rounds 1001 is outside [1, 1000]");
  m.rounds = 1;
  m.settings.threads = -1;
  CHECK(request_error(m) == "threads -1 is outside [0, 1024]");
  m.settings.threads = 1;
  m.models.assign(agent::Limits::kModels + 1, {1});
  CHECK(request_error(m).find("too many models") == 0);

  run.inputs.push_back({"x", {2, 2}, {1, 2, 3}});
  CHECK(request_error(run) == "tensor 'x' has 3 values for 4 elements");
  run.inputs[0] = {"x", {1 << 20, 1 << 20}, {}};
  CHECK(request_error(run) == "tensor 'x' is over the element limit");
  run.inputs[0] = {"x", {1, 1, 1, 1, 1, 1, 1}, {1}};
  CHECK(request_error(run).find("too many dimensions") == 0);
  run.inputs[0] = {std::string(agent::Limits::kStringBytes + 1, 'n'), {1}, {1}};
  CHECK(request_error(run).find("a tensor name is 4097 bytes") == 0);
}

TEST_CASE("hello header and token comparison") {
  const std::vector<uint8_t> hello = agent::encode_hello(1, "token");
  REQUIRE(hello.size() == agent::kHelloHeaderBytes + 5);
  agent::HelloHeader header;
  std::string error;
  REQUIRE(agent::decode_hello_header(hello.data(), agent::kHelloHeaderBytes, &header, &error));
  CHECK(header.version == 1);
  CHECK(header.token_bytes == 5);
  std::vector<uint8_t> bad = hello;
  bad[0] = 'X';
  CHECK_FALSE(agent::decode_hello_header(bad.data(), agent::kHelloHeaderBytes, &header, &error));
  bad = agent::encode_hello(1, "");
  CHECK_FALSE(agent::decode_hello_header(bad.data(), agent::kHelloHeaderBytes, &header, &error));

  CHECK(agent::tokens_equal("secret", "secret"));
  CHECK_FALSE(agent::tokens_equal("secret", "secreT"));
  CHECK_FALSE(agent::tokens_equal("secret", "secretsecret"));  // cycles through the expected token: still unequal
  CHECK_FALSE(agent::tokens_equal("secret", "secre"));
  CHECK_FALSE(agent::tokens_equal("secret", ""));
  CHECK_FALSE(agent::tokens_equal("", ""));
}

TEST_CASE("a message decodes wherever it lies in memory (8-byte fields need no aligned buffer)") {
  agent::RunRequest run;
  run.model = {7};
  run.inputs.push_back({"x", {1, 1, 2}, {1.5f, 2.5f}});
  const std::vector<uint8_t> bytes = agent::encode_request(run);
  for (size_t shift = 0; shift < 8; ++shift) {
    CAPTURE(shift);
    std::vector<uint8_t> moved(shift, 0);
    moved.insert(moved.end(), bytes.begin(), bytes.end());
    agent::Request out;
    std::string error;
    REQUIRE_MESSAGE(agent::decode_request(moved.data() + shift, bytes.size(), &out, &error), error);
    CHECK(std::get<agent::RunRequest>(out).inputs[0].dims == std::vector<int64_t>{1, 1, 2});
  }
}
