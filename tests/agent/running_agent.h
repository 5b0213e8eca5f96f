// Test helpers for the agent: a real AgentServer on a loopback port in a
// thread of the test (stopped and joined by the destructor, so every test
// stops the agent it started), and a raw connection that speaks the
// protocol byte by byte to send what a well-behaved client never would.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent_client.h"
#include "agent/agent_server.h"
#include "runtime/test_models.h"

namespace bespoke::test {

inline const std::string kToken = "correct horse battery staple";

class RunningAgent {
 public:
  explicit RunningAgent(int timeout_ms = 3000) {
    agent::ServerConfig config;
    config.token = kToken;
    config.timeout_ms = timeout_ms;
    config.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back(line);
    };
    server_ = std::make_unique<agent::AgentServer>(agent::listen_on({"127.0.0.1", 0}, false), config);
    thread_ = std::thread([this] { server_->serve(stop_); });
  }
  ~RunningAgent() {
    stop_.store(true);
    thread_.join();
  }
  RunningAgent(const RunningAgent&) = delete;
  RunningAgent& operator=(const RunningAgent&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(server_->port()); }
  // True once the agent has logged a line containing `text` (waits up to 5 s:
  // the log line of a client comes after the client's last byte).
  bool logged(const std::string& text) const {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const std::string& line : lines_) {
          if (line.find(text) != std::string::npos) return true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::unique_ptr<agent::AgentServer> server_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

inline agent::Settings reference_settings() {
  agent::Settings s;
  s.backend = "reference";
  return s;
}

inline agent::RunRequest small_run_request(uint32_t seed = 3) {
  agent::RunRequest request;
  request.model = small_cnn_model();
  request.settings = reference_settings();
  request.inputs.push_back(agent::Tensor{"x", {1, 3, 8, 8}, seeded_values(3 * 8 * 8, seed, 1.0f)});
  return request;
}

// Thread counts to try: 1 and 2, capped by BESPOKE_TEST_MAX_THREADS (qemu
// runs use one thread: multi-threaded XNNPACK was seen to spin there).
inline std::vector<int> test_thread_counts() {
  const char* cap = std::getenv("BESPOKE_TEST_MAX_THREADS");
  if (cap != nullptr && std::atoi(cap) < 2) return {1};
  return {1, 2};
}

// The agent answers a well-behaved client: what every failure test checks last.
inline void check_still_serving(const RunningAgent& running) {
  agent::AgentClient client = agent::AgentClient::connect(running.address(), kToken);
  const agent::RunReply reply = client.run(small_run_request());
  REQUIRE(reply.outputs.size() == 1);
  CHECK(reply.outputs[0].data.size() == 3);
}

// A connection driven byte by byte.
class RawConnection {
 public:
  explicit RawConnection(const RunningAgent& running)
      : socket_(agent::connect_to(agent::parse_endpoint(running.address()), 5000)) {}

  void send(const std::vector<uint8_t>& bytes) {
    REQUIRE(agent::write_all(socket_, bytes.data(), bytes.size(), agent::deadline_in(5000)) == agent::IoStatus::kOk);
  }
  void send_frame(const std::vector<uint8_t>& payload) { send(framed(payload)); }
  static std::vector<uint8_t> framed(const std::vector<uint8_t>& payload) {
    std::vector<uint8_t> bytes(agent::kLengthBytes);
    agent::put_u32(static_cast<uint32_t>(payload.size()), bytes.data());
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return bytes;
  }
  void hello(const std::string& token = kToken, uint32_t version = agent::kProtocolVersion) {
    send(agent::encode_hello(version, token));
  }
  // The next reply, decoded (fails the test if none arrives in 5 s).
  agent::Reply receive() {
    std::vector<uint8_t> payload;
    std::string error;
    bool too_large = false;
    const agent::IoStatus status =
        agent::read_frame(socket_, agent::Limits::kFrameBytes, agent::deadline_in(5000), &payload, &error, &too_large);
    INFO(error);
    REQUIRE(status == agent::IoStatus::kOk);
    agent::Reply reply;
    REQUIRE(agent::decode_reply(payload.data(), payload.size(), &reply, &error));
    return reply;
  }
  agent::ErrorReply receive_error() {
    agent::Reply reply = receive();
    REQUIRE(std::holds_alternative<agent::ErrorReply>(reply));
    return std::get<agent::ErrorReply>(reply);
  }
  // True when the agent has closed the connection (EOF within 5 s).
  bool closed_by_agent() {
    uint8_t byte = 0;
    size_t got = 0;
    return agent::read_exact(socket_, &byte, 1, agent::deadline_in(5000), &got) == agent::IoStatus::kClosed;
  }
  void close() { socket_.close(); }

 private:
  agent::Socket socket_;
};

}  // namespace bespoke::test
