#include "latency/device_link.h"

#include <fstream>
#include <sstream>

#include "agent/agent_client.h"
#include "agent/measurement.h"
#include "latency/latency_error.h"

namespace bespoke::latency {

namespace {

// In process: the agent's own measurement code, called directly.
class LocalLink : public DeviceLink {
 public:
  LocalLink() : device_(agent::describe_device()) {}
  const agent::Device& device() const override { return device_; }
  agent::MeasureReply measure(const agent::MeasureRequest& request) override {
    try {
      return agent::measure(request);
    } catch (const std::exception& e) {
      throw LatencyError(std::string("local measurement: ") + e.what());
    }
  }
  agent::RunReply run(const agent::RunRequest& request) override {
    try {
      return agent::run_once(request);
    } catch (const std::exception& e) {
      throw LatencyError(std::string("local run: ") + e.what());
    }
  }

 private:
  agent::Device device_;
};

class AgentLink : public DeviceLink {
 public:
  AgentLink(std::string address, agent::AgentClient client)
      : address_(std::move(address)), client_(std::move(client)) {}
  const agent::Device& device() const override { return client_.device(); }
  agent::MeasureReply measure(const agent::MeasureRequest& request) override {
    try {
      return client_.measure(request);
    } catch (const agent::AgentError& e) {
      throw LatencyError("agent " + address_ + ": " + e.what());
    }
  }
  agent::RunReply run(const agent::RunRequest& request) override {
    try {
      return client_.run(request);
    } catch (const agent::AgentError& e) {
      throw LatencyError("agent " + address_ + ": " + e.what());
    }
  }

 private:
  std::string address_;
  agent::AgentClient client_;
};

// As bespoke-agent reads it: the file's content without trailing whitespace.
std::string read_token(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LatencyError(path + ": cannot open the token file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  if (token.empty()) throw LatencyError(path + ": the token file is empty");
  return token;
}

}  // namespace

std::unique_ptr<DeviceLink> connect(const config::TargetConfig& target) {
  if (target.device == "local") return std::make_unique<LocalLink>();
  if (target.device == "agent") {
    const std::string token = read_token(target.token_file);
    try {
      return std::make_unique<AgentLink>(target.address, agent::AgentClient::connect(target.address, token));
    } catch (const agent::AgentError& e) {
      throw LatencyError("target " + target.name + ": agent " + target.address + ": " + e.what());
    }
  }
  throw LatencyError("target " + target.name + " is offline (device = \"" + target.device +
                     "\"): use bespoke-opt profile export / import");
}

}  // namespace bespoke::latency
