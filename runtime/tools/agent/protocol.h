// The bespoke-agent protocol (docs/agent-protocol.md) as plain C++ values,
// and the only code that turns bytes into them: a hello header of fixed
// size, then FlatBuffers messages (schema/agent.fbs) that are verified and
// checked against the limits below before anything is read from them.
//
// Pure functions on memory, no sockets and no runtime: the agent, the
// client library (used by the optimizer) and the fuzz target
// (tests/fuzz/fuzz_agent_protocol.cpp) share them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace bespoke::agent {

inline constexpr uint32_t kProtocolVersion = 1;

// Maximum size of every field (the document's table; both sides check them).
struct Limits {
  static constexpr uint32_t kTokenBytes = 256;
  static constexpr uint32_t kFrameBytes = 256u << 20;  // one message, length prefix excluded
  static constexpr uint32_t kModelBytes = 128u << 20;
  static constexpr uint32_t kModels = 64;   // per MeasureRequest
  static constexpr uint32_t kTensors = 64;  // inputs of a RunRequest, outputs of a RunReply
  static constexpr uint32_t kRank = 6;
  static constexpr uint64_t kTensorElements = 1u << 26;
  static constexpr uint32_t kStringBytes = 4096;         // names, messages, device strings
  static constexpr uint32_t kProfileEntries = 1u << 16;  // blocks, or operators, per measurement
  static constexpr int kThreads = 1024;
  static constexpr int kWarmup = 100000;
  static constexpr int kRuns = 100000;
  static constexpr int kRounds = 1000;
};

// The hello: "BSPA", protocol version (u32 LE), token length (u32 LE), then
// the token. The header has a fixed size so that the agent reads nothing
// beyond the token before comparing it.
inline constexpr size_t kHelloHeaderBytes = 12;
struct HelloHeader {
  uint32_t version = 0;
  uint32_t token_bytes = 0;
};
// False (and a one-line *error) for a wrong magic or a token length outside
// [1, Limits::kTokenBytes]. The version is checked after the token.
bool decode_hello_header(const uint8_t* data, size_t size, HelloHeader* header, std::string* error);
std::vector<uint8_t> encode_hello(uint32_t version, const std::string& token);

// Compares in time that depends only on the lengths, never on the contents.
bool tokens_equal(const std::string& expected, const std::string& given);

// Error codes of ErrorReply::status: a bsp_status (0..99) from the runtime,
// or one of these.
enum AgentStatus : int {
  kBadMessage = 100,  // not a valid message, or a field over its limit
  kWrongToken = 101,
  kWrongVersion = 102,
  kTimeout = 103,
  kTooLarge = 104,  // the length prefix exceeds Limits::kFrameBytes
};

// ---- requests (client -> agent) ----

struct Settings {
  std::string backend = "auto";  // auto, reference, xnnpack, onednn
  int threads = 1;               // 0 = every core of the device
};

struct Tensor {  // float32, logical (NCHW) order
  std::string name;
  std::vector<int64_t> dims;
  std::vector<float> data;
};

// Measures models interleaved: after `warmup` untimed runs of each, round r
// makes `runs` timed runs of model 0, then of model 1, and so on.
struct MeasureRequest {
  std::vector<std::vector<uint8_t>> models;  // .bspk bytes
  Settings settings;
  int warmup = 5;
  int runs = 30;
  int rounds = 3;
  bool profile_blocks = true;
  uint32_t seed = 0;               // of the random inputs (uniform in [-1, 1), as bespoke-bench)
  bool profile_operators = false;  // also per-operator medians and backends
};

// Runs one model once on `inputs` (one per model input, in order).
struct RunRequest {
  std::vector<uint8_t> model;
  Settings settings;
  std::vector<Tensor> inputs;
};

using Request = std::variant<MeasureRequest, RunRequest>;

// ---- replies (agent -> client) ----

// The device fingerprint; the agent's reply to an accepted hello.
struct Device {
  uint32_t protocol_version = 0;
  std::string cpu;
  int cores = 0;
  std::string isa;
  uint32_t runtime_version = 0;
  uint32_t api_version = 0;
  std::string available_backends;
};

struct Round {
  double median_ms = 0, p90_ms = 0, min_ms = 0;
};

// One entry of the runtime's profile: a block or an operator.
struct ProfileTime {
  uint32_t id = 0;  // block id, or operator index
  std::string name;
  std::string kind;               // "block", or the operator type ("CONV_2D")
  std::string backend;            // that ran it ("mixed": a block run by several)
  std::vector<double> median_ms;  // one per round
};

struct BackendUse {
  std::string backend;
  uint32_t operators = 0;
};

struct ModelMeasurement {
  std::vector<Round> rounds;
  std::vector<ProfileTime> blocks;  // empty unless profile_blocks
  uint64_t arena_bytes = 0, weights_bytes = 0;
  std::vector<BackendUse> backends;    // what runs, most operators first
  std::vector<ProfileTime> operators;  // empty unless profile_operators
};

struct MeasureReply {
  std::vector<ModelMeasurement> models;  // in the order of the request
};

struct RunReply {
  std::vector<Tensor> outputs;
  std::vector<BackendUse> backends;
};

struct ErrorReply {
  int status = 0;
  std::string message;
};

using Reply = std::variant<Device, MeasureReply, RunReply, ErrorReply>;

// One message each (the payload of a frame; the length prefix is not included).
std::vector<uint8_t> encode_request(const Request& request);
std::vector<uint8_t> encode_reply(const Reply& reply);
// False and a one-line *error for anything but a verified message of the
// right direction whose every field is within Limits.
bool decode_request(const uint8_t* data, size_t size, Request* request, std::string* error);
bool decode_reply(const uint8_t* data, size_t size, Reply* reply, std::string* error);

// Length prefix of a frame.
inline constexpr size_t kLengthBytes = 4;
void put_u32(uint32_t value, uint8_t* out);
uint32_t get_u32(const uint8_t* in);

}  // namespace bespoke::agent
