#include "agent/agent_server.h"

#include <exception>
#include <stdexcept>
#include <utility>

#include "agent/measurement.h"
#include "agent/protocol.h"
#include "bespoke/bespoke.hpp"

namespace bespoke::agent {
namespace {

// Best effort: the client may already be gone.
void send_reply(const Socket& client, const Reply& reply, int timeout_ms) {
  (void)write_frame(client, encode_reply(reply), deadline_in(timeout_ms));
}

void send_error(const Socket& client, int status, const std::string& message, int timeout_ms) {
  send_reply(client, ErrorReply{status, message}, timeout_ms);
}

Reply answer(const Request& request) {
  try {
    if (const auto* m = std::get_if<MeasureRequest>(&request)) return measure(*m);
    return run_once(std::get<RunRequest>(request));
  } catch (const bespoke::Error& e) {
    return ErrorReply{static_cast<int>(e.status()), e.what()};
  } catch (const std::invalid_argument& e) {
    return ErrorReply{BSP_ERROR_INVALID_ARGUMENT, e.what()};
  } catch (const std::bad_alloc&) {
    return ErrorReply{BSP_ERROR_OUT_OF_MEMORY, "out of memory"};
  } catch (const std::exception& e) {
    return ErrorReply{BSP_ERROR_INTERNAL, e.what()};
  }
}

}  // namespace

AgentServer::AgentServer(Socket listener, ServerConfig config)
    : listener_(std::move(listener)), config_(std::move(config)) {
  if (config_.token.empty() || config_.token.size() > Limits::kTokenBytes) {
    throw std::invalid_argument("the token must have 1 to " + std::to_string(Limits::kTokenBytes) + " bytes");
  }
}

uint16_t AgentServer::port() const { return local_port(listener_); }

void AgentServer::log(const std::string& line) const {
  if (config_.log) config_.log(line);
}

void AgentServer::serve(const std::atomic<bool>& stop) {
  int served = 0;
  while (!stop.load() && (config_.max_clients == 0 || served < config_.max_clients)) {
    Socket client = accept_client(listener_, 100);
    if (!client.valid()) continue;
    ++served;
    log("client connected");
    try {
      serve_client(client);
    } catch (const std::exception& e) {  // e.g. bad_alloc while encoding: drop this client, keep serving
      log(std::string("client dropped: ") + e.what());
    }
    log("client done");
  }
}

bool AgentServer::hello(const Socket& client) {
  const Deadline deadline = deadline_in(config_.timeout_ms);
  uint8_t header_bytes[kHelloHeaderBytes];
  size_t got = 0;
  const IoStatus status = read_exact(client, header_bytes, sizeof header_bytes, deadline, &got);
  HelloHeader header;
  std::string error;
  if (status == IoStatus::kTimeout) {
    error = "timed out waiting for the hello";
    send_error(client, kTimeout, error, config_.timeout_ms);
  } else if (status != IoStatus::kOk) {
    error = "connection closed during the hello";
  } else if (!decode_hello_header(header_bytes, sizeof header_bytes, &header, &error)) {
    send_error(client, kBadMessage, error, config_.timeout_ms);
  }
  if (!error.empty()) {
    log(error);
    return false;
  }
  std::string token(header.token_bytes, '\0');
  if (read_exact(client, token.data(), token.size(), deadline, &got) != IoStatus::kOk) {
    log("the token did not arrive");
    send_error(client, kTimeout, "the token did not arrive in time", config_.timeout_ms);
    return false;
  }
  if (!tokens_equal(config_.token, token)) {
    log("wrong token");
    send_error(client, kWrongToken, "wrong token", config_.timeout_ms);
    return false;
  }
  if (header.version != kProtocolVersion) {
    error = "protocol version " + std::to_string(header.version) + " is not supported (this agent speaks " +
            std::to_string(kProtocolVersion) + ")";
    log(error);
    send_error(client, kWrongVersion, error, config_.timeout_ms);
    return false;
  }
  send_reply(client, describe_device(), config_.timeout_ms);
  return true;
}

void AgentServer::serve_client(const Socket& client) {
  if (!hello(client)) return;
  std::vector<uint8_t> payload;
  for (;;) {
    std::string error;
    bool too_large = false;
    const IoStatus status =
        read_frame(client, Limits::kFrameBytes, deadline_in(config_.timeout_ms), &payload, &error, &too_large);
    if (status == IoStatus::kClosed && error.empty()) return;  // a goodbye between messages
    if (status != IoStatus::kOk) {
      log(error);
      if (too_large) send_error(client, kTooLarge, error, config_.timeout_ms);
      if (status == IoStatus::kTimeout) send_error(client, kTimeout, error, config_.timeout_ms);
      return;  // the framing is lost: close this connection
    }
    Request request;
    if (!decode_request(payload.data(), payload.size(), &request, &error)) {
      log(error);
      send_error(client, kBadMessage, error, config_.timeout_ms);
      continue;  // the framing is intact: the client may send the next request
    }
    payload.clear();
    payload.shrink_to_fit();  // the decoded request holds its own copy of the models
    const Reply reply = answer(request);
    if (const auto* e = std::get_if<ErrorReply>(&reply)) log("request failed: " + e->message);
    send_reply(client, reply, config_.timeout_ms);
  }
}

}  // namespace bespoke::agent
