// libFuzzer target for the agent's message parser: arbitrary bytes go
// through everything the agent and its client decode from the network --
// the hello header, requests and replies (FlatBuffers verification, then
// the limit of every field). Whatever the bytes, decoding must return
// (true or false) without a sanitizer report; a message that decodes must
// encode and decode again to the same kind.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "agent/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bespoke::agent;
  std::string error;
  HelloHeader header;
  if (size >= kHelloHeaderBytes) (void)decode_hello_header(data, kHelloHeaderBytes, &header, &error);

  Request request;
  if (decode_request(data, size, &request, &error)) {
    const std::vector<uint8_t> again = encode_request(request);
    Request back;
    if (!decode_request(again.data(), again.size(), &back, &error) || back.index() != request.index()) std::abort();
  }
  Reply reply;
  if (decode_reply(data, size, &reply, &error)) {
    const std::vector<uint8_t> again = encode_reply(reply);
    Reply back;
    if (!decode_reply(again.data(), again.size(), &back, &error) || back.index() != reply.index()) std::abort();
  }
  return 0;
}
