// How the optimizer reaches a target device to measure models and run them
// (ARCHITECTURE.md section 2): in process through the runtime's C API
// ("local"), or through bespoke-agent over TCP ("agent"). An "offline" target
// has no link: its measurements travel as a bundle (profile export / import).
//
// The requests and replies are the agent protocol's plain C++ values
// (runtime/tools/agent/protocol.h), so local and remote measurements are the
// same code path on the device side (agent/measurement.h).
#pragma once

#include <memory>
#include <string>

#include "agent/protocol.h"
#include "config/optimizer_config.h"

namespace bespoke::latency {

class DeviceLink {
 public:
  virtual ~DeviceLink() = default;
  // The device fingerprint (for "local": this machine, described like the agent does).
  virtual const agent::Device& device() const = 0;
  // Measures models interleaved (agent::MeasureRequest); throws LatencyError.
  virtual agent::MeasureReply measure(const agent::MeasureRequest& request) = 0;
  // Runs one model once on given inputs; throws LatencyError.
  virtual agent::RunReply run(const agent::RunRequest& request) = 0;
};

// The link for a "local" or "agent" target (reads the token file);
// throws LatencyError for an "offline" target, an unreachable agent, a wrong token.
std::unique_ptr<DeviceLink> connect(const config::TargetConfig& target);

}  // namespace bespoke::latency
