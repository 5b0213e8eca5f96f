#include "cli/subcommand.h"

#include <algorithm>
#include <exception>
#include <iostream>

#include "cli/cli_support.h"

namespace bespoke::cli {

namespace {

// Function-local: registrations run during static initialization, in any order.
std::vector<Subcommand>& registry() {
  static std::vector<Subcommand> commands;
  return commands;
}

}  // namespace

bool register_subcommand(Subcommand command) {
  auto& commands = registry();
  for (const Subcommand& c : commands)
    if (c.name == command.name)
      throw std::logic_error("bespoke-opt: subcommand '" + command.name + "' registered twice");
  commands.push_back(std::move(command));
  return true;
}

std::vector<Subcommand> registered_subcommands() {
  std::vector<Subcommand> commands = registry();
  std::sort(commands.begin(), commands.end(), [](const Subcommand& a, const Subcommand& b) { return a.name < b.name; });
  return commands;
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& error, const std::string& where) {
  if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
  std::cerr << where << ": " << one_line(error.what()) << " (see --help)\n";
  return kExitUsage;
}

int run_action(const Action& action, const std::string& where) {
  try {
    return action();
  } catch (const UsageError& e) {
    std::cerr << where << ": " << one_line(e.what()) << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << where << ": " << one_line(e.what()) << "\n";
  } catch (...) {
    std::cerr << where << ": unknown failure\n";
  }
  return kExitFailure;
}

int run_single_command(const Subcommand& command, const std::string& program, int argc, char** argv) {
  CLI::App app{command.description, program};
  const Action action = command.configure(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e, program);
  }
  return run_action(action, program);
}

}  // namespace bespoke::cli
