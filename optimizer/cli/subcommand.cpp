#include "cli/subcommand.h"

#include <algorithm>

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
    if (c.name == command.name) throw std::logic_error("bespoke-opt: subcommand '" + command.name + "' registered twice");
  commands.push_back(std::move(command));
  return true;
}

std::vector<Subcommand> registered_subcommands() {
  std::vector<Subcommand> commands = registry();
  std::sort(commands.begin(), commands.end(), [](const Subcommand& a, const Subcommand& b) { return a.name < b.name; });
  return commands;
}

}  // namespace bespoke::cli
