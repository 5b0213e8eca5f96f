// TCP sockets for the agent and its client: listening (loopback unless
// allowed otherwise), connecting, and reading or writing whole frames
// (u32 length + payload) within a deadline, so a stalled peer can never
// hold the agent (poll() before every read and write).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::agent {

using Deadline = std::chrono::steady_clock::time_point;
inline Deadline deadline_in(int milliseconds) {
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(milliseconds);
}

// "HOST:PORT", "[IPV6]:PORT"; HOST is a name or a numeric address.
struct Endpoint {
  std::string host;
  uint16_t port = 0;
};
// Throws std::invalid_argument with a one-line message.
Endpoint parse_endpoint(const std::string& text);

// An owned socket descriptor (closed on destruction).
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept;
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();
  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void close();

 private:
  int fd_ = -1;
};

// Binds and listens. Refuses (std::runtime_error) an address that is not
// loopback unless allow_remote. Port 0 picks a free port: see local_port().
Socket listen_on(const Endpoint& endpoint, bool allow_remote);
uint16_t local_port(const Socket& socket);
// The next client, or an invalid Socket when none came within timeout_ms.
Socket accept_client(const Socket& listener, int timeout_ms);
// Throws std::runtime_error when the agent cannot be reached in time.
Socket connect_to(const Endpoint& endpoint, int timeout_ms);

enum class IoStatus { kOk, kTimeout, kClosed, kError };
// Reads exactly `size` bytes; *got says how many arrived (also on failure).
IoStatus read_exact(const Socket& socket, void* data, size_t size, Deadline deadline, size_t* got);
IoStatus write_all(const Socket& socket, const void* data, size_t size, Deadline deadline);

// One frame of at most max_bytes. On failure *error says what happened in
// one line (a length over max_bytes: kError and *too_large), except for a
// peer that closed cleanly between frames: kClosed with *error empty.
IoStatus read_frame(const Socket& socket, uint32_t max_bytes, Deadline deadline, std::vector<uint8_t>* payload,
                    std::string* error, bool* too_large);
IoStatus write_frame(const Socket& socket, const std::vector<uint8_t>& payload, Deadline deadline);

}  // namespace bespoke::agent
