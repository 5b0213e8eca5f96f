// The subcommand registry of bespoke-opt. Each subcommand lives in its own
// file and registers itself from a namespace-scope initializer, so adding a
// subcommand means adding a file, never editing another one:
//
//   namespace {
//   bespoke::cli::Action configure(CLI::App& command) {
//     auto options = std::make_shared<MyOptions>();
//     command.add_option("model", options->model, "...")->required();
//     return [options] { return run(*options); };
//   }
//   [[maybe_unused]] const bool registered =
//       bespoke::cli::register_subcommand({"name", "one-line description", configure});
//   }  // namespace
//
// A name with one space, "house build", registers the subcommand "build"
// under the group "house" (bespoke-opt house build ...); the group itself is
// created by main() and only dispatches. Errors then read
// "bespoke-opt house build: <message>".
//
// Files in optimizer/cli/ build without LibTorch; subcommands that need it
// (train, eval) go in optimizer/cli/torch/, compiled only when the LibTorch
// bridge is built (see optimizer/cli/CMakeLists.txt).
//
// Exit status convention: 0 success, 1 the work failed (unreadable model,
// analysis error...), 2 bad command line. Errors are one line on stderr,
// "bespoke-opt <name>: <message>"; main() prints whatever an action throws.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace bespoke::cli {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Runs a parsed subcommand; returns the exit status.
using Action = std::function<int()>;

struct Subcommand {
  std::string name;
  std::string description;
  // Adds the options to `command` (the CLI11 subcommand) and returns the
  // action that reads them once parsing succeeded.
  std::function<Action(CLI::App& command)> configure;
};

// Throw from an action for invalid arguments found after parsing (exit 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Returns true so that it can initialize a namespace-scope constant. Throws
// std::logic_error for a name registered twice (at program start).
bool register_subcommand(Subcommand command);

// Every registered subcommand, sorted by name.
std::vector<Subcommand> registered_subcommands();

// The error convention above, shared by bespoke-opt's main and the
// single-command tools (bespoke-convert): `where` prefixes every message.
// report_parse_error returns 0 after printing --help / --version.
int report_parse_error(const CLI::App& app, const CLI::ParseError& error, const std::string& where);
int run_action(const Action& action, const std::string& where);

// A whole tool made of one subcommand: `program` [options], parsed and run
// with the convention above (bespoke-convert is `bespoke-opt convert`).
int run_single_command(const Subcommand& command, const std::string& program, int argc, char** argv);

}  // namespace bespoke::cli
