#include "agent/agent_client.h"

#include <utility>

namespace bespoke::agent {
namespace {

template <typename T>
T expect(Reply reply) {
  if (auto* e = std::get_if<ErrorReply>(&reply)) throw AgentError(e->status, "agent: " + e->message);
  if (auto* value = std::get_if<T>(&reply)) return std::move(*value);
  throw AgentError(-1, "agent: unexpected kind of reply");
}

}  // namespace

AgentClient AgentClient::connect(const std::string& address, const std::string& token, const ClientTimeouts& timeouts) {
  Socket socket;
  try {
    socket = connect_to(parse_endpoint(address), timeouts.connect_ms);
  } catch (const std::exception& e) {
    throw AgentError(-1, e.what());
  }
  AgentClient client(std::move(socket), timeouts);
  const std::vector<uint8_t> hello = encode_hello(kProtocolVersion, token);
  if (write_all(client.socket_, hello.data(), hello.size(), deadline_in(timeouts.send_ms)) != IoStatus::kOk) {
    throw AgentError(-1, "agent: cannot send the hello");
  }
  client.device_ = expect<Device>(client.receive());
  return client;
}

MeasureReply AgentClient::measure(const MeasureRequest& request) { return expect<MeasureReply>(exchange(request)); }

RunReply AgentClient::run(const RunRequest& request) { return expect<RunReply>(exchange(request)); }

Reply AgentClient::exchange(const Request& request) {
  const std::vector<uint8_t> payload = encode_request(request);
  if (payload.size() > Limits::kFrameBytes) throw AgentError(kTooLarge, "agent: the request is over the size limit");
  if (write_frame(socket_, payload, deadline_in(timeouts_.send_ms)) != IoStatus::kOk) {
    throw AgentError(-1, "agent: cannot send the request (connection lost)");
  }
  return receive();
}

Reply AgentClient::receive() {
  std::vector<uint8_t> payload;
  std::string error;
  bool too_large = false;
  const IoStatus status =
      read_frame(socket_, Limits::kFrameBytes, deadline_in(timeouts_.reply_ms), &payload, &error, &too_large);
  if (status != IoStatus::kOk) {
    throw AgentError(-1, "agent: no reply (" + (error.empty() ? std::string("connection closed") : error) + ")");
  }
  Reply reply;
  if (!decode_reply(payload.data(), payload.size(), &reply, &error)) throw AgentError(kBadMessage, "agent: " + error);
  return reply;
}

}  // namespace bespoke::agent
