// The agent's serving loop: one client at a time; each client says hello
// (its token is compared before anything else is read), gets the device
// fingerprint, then sends requests and gets one reply each. A malformed
// request gets an ErrorReply and the connection stays usable; a framing
// failure (oversized length, timeout, disconnect) closes that connection.
// In every case the agent goes on to the next client.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "agent/connection.h"

namespace bespoke::agent {

struct ServerConfig {
  std::string token;
  int timeout_ms = 10000;  // for each message to arrive completely, and for each reply to be sent
  int max_clients = 0;     // serve this many clients then return; 0 = until stopped
  // One line per event (client accepted, error, ...); default: nothing.
  std::function<void(const std::string&)> log;
};

class AgentServer {
 public:
  AgentServer(Socket listener, ServerConfig config);
  uint16_t port() const;
  // Serves until `stop` becomes true (checked at least every 100 ms between
  // clients) or max_clients have been served.
  void serve(const std::atomic<bool>& stop);

 private:
  void serve_client(const Socket& client);
  bool hello(const Socket& client);
  void log(const std::string& line) const;

  Socket listener_;
  ServerConfig config_;
};

}  // namespace bespoke::agent
