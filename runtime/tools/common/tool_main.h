// The main() of every runtime tool: parse the command line, run the body,
// and turn every failure into a one-line message and an exit code below 128
// (see tool_support.h) -- a tool never dies of an exception.
#pragma once

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "common/tool_support.h"

namespace bespoke::tools {

// `body` returns the exit code; it may throw bespoke::Error or std::exception.
template <typename Body>
int run_tool(const char* tool, CLI::App& app, int argc, char** argv, Body body) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    return report_error(tool, e.what(), kExitUsage);
  }
  try {
    return body();
  } catch (const bespoke::Error& e) {
    return report_error(tool, e.what(), exit_code(e.status()));
  } catch (const std::exception& e) {
    return report_error(tool, e.what(), exit_code(BSP_ERROR_INTERNAL));
  }
}

}  // namespace bespoke::tools
