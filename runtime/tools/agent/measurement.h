// What the agent does with a verified request, through the runtime's C API
// (bespoke.hpp): measure models interleaved, run a model on given inputs,
// and describe this device. Throws bespoke::Error (a runtime failure, e.g.
// a model the verifier rejects) or std::invalid_argument (a request that
// does not fit its model); the server turns both into an ErrorReply.
#pragma once

#include "agent/protocol.h"

namespace bespoke::agent {

MeasureReply measure(const MeasureRequest& request);
RunReply run_once(const RunRequest& request);
Device describe_device();

}  // namespace bespoke::agent
