// The client side of the bespoke-agent protocol, for the optimizer (no
// LibTorch, no runtime: it links only the protocol and sockets) and for
// tests. One AgentClient is one connection; requests are answered in order.
//
//   AgentClient agent = AgentClient::connect("127.0.0.1:7070", token);
//   agent.device().cpu;                        // the fingerprint, from the hello
//   MeasureReply m = agent.measure(request);   // throws AgentError on an ErrorReply
#pragma once

#include <stdexcept>
#include <string>

#include "agent/connection.h"
#include "agent/protocol.h"

namespace bespoke::agent {

// An ErrorReply from the agent (status: a bsp_status or an AgentStatus), or
// a connection failure (status -1).
class AgentError : public std::runtime_error {
 public:
  AgentError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

struct ClientTimeouts {
  int connect_ms = 10000;
  int send_ms = 60000;
  int reply_ms = 600000;  // a measurement of many models takes a while
};

class AgentClient {
 public:
  // Connects and says hello; throws AgentError (wrong token, wrong version, unreachable).
  static AgentClient connect(const std::string& address, const std::string& token,
                             const ClientTimeouts& timeouts = ClientTimeouts());

  const Device& device() const { return device_; }
  MeasureReply measure(const MeasureRequest& request);
  RunReply run(const RunRequest& request);

 private:
  AgentClient(Socket socket, ClientTimeouts timeouts) : socket_(std::move(socket)), timeouts_(timeouts) {}
  Reply exchange(const Request& request);
  Reply receive();

  Socket socket_;
  ClientTimeouts timeouts_;
  Device device_;
};

}  // namespace bespoke::agent
