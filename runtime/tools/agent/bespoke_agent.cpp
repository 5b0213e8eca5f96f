// bespoke-agent: serves latency measurements of .bspk models on this device
// to the optimizer over TCP (protocol: docs/agent-protocol.md).
//
//   bespoke-agent --listen 127.0.0.1:7070 --token-file token.txt
//                 [--allow-remote] [--timeout-ms 10000] [--max-clients N]
//
// Models stay in memory; the agent writes no file. It listens on loopback
// unless --allow-remote is given, serves one client at a time and keeps
// serving after any bad message or disconnect; SIGINT/SIGTERM stop it.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "agent/agent_server.h"
#include "agent/protocol.h"
#include "common/tool_main.h"

namespace {

constexpr const char* kTool = "bespoke-agent";
std::atomic<bool> g_stop{false};

void request_stop(int) { g_stop.store(true); }

// The token is the file's content without trailing whitespace.
std::string read_token(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open the token file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  if (token.empty() || token.size() > bespoke::agent::Limits::kTokenBytes) {
    throw std::runtime_error("the token in '" + path + "' must have 1 to " +
                             std::to_string(bespoke::agent::Limits::kTokenBytes) + " bytes");
  }
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Measures .bspk models on this device for the optimizer (docs/agent-protocol.md).\n"
      "Exit codes: 0 ok (stopped by a signal or after --max-clients), 1 cannot listen, 2 bad arguments."};
  std::string listen = "127.0.0.1:7070";
  std::string token_file;
  bool allow_remote = false;
  bespoke::agent::ServerConfig config;
  app.add_option("-l,--listen", listen, "ADDR:PORT to listen on (port 0: any free port)");
  app.add_option("--token-file", token_file, "file holding the shared secret clients must send")->required();
  app.add_flag("--allow-remote", allow_remote, "allow a non-loopback listen address");
  app.add_option("--timeout-ms", config.timeout_ms, "time for each message to arrive")->check(CLI::Range(10, 3600000));
  app.add_option("--max-clients", config.max_clients, "exit after serving this many clients (0 = never)")
      ->check(CLI::Range(0, 1 << 30));
  return bespoke::tools::run_tool(kTool, app, argc, argv, [&] {
    bespoke::agent::Socket listener;
    try {
      listener = bespoke::agent::listen_on(bespoke::agent::parse_endpoint(listen), allow_remote);
      config.token = read_token(token_file);
    } catch (const std::exception& e) {
      return bespoke::tools::report_error(kTool, e.what(), 1);
    }
    config.log = [](const std::string& line) { std::cerr << kTool << ": " << line << std::endl; };
    bespoke::agent::AgentServer server(std::move(listener), config);
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    std::signal(SIGPIPE, SIG_IGN);
    // The port line is what scripts and tests wait for (port 0 picks one).
    std::printf("%s: listening on %s port %u\n", kTool, listen.c_str(), static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    server.serve(g_stop);
    return 0;
  });
}
