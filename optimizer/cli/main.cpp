// bespoke-opt: the Bespoke optimizer's command-line tool. Subcommands register
// themselves (cli/subcommand.h); this file only dispatches.
//
//   bespoke-opt <subcommand> [options]     bespoke-opt --help
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/subcommand.h"

#ifndef BESPOKE_VERSION
#define BESPOKE_VERSION "unknown"
#endif

namespace {

// Subcommands named "<group> <name>" (cli/subcommand.h) appear under a group.
std::string group_description(const std::string& group) {
  if (group == "house") return "the model house: build, inspect, evaluate, export and merge alternatives";
  if (group == "profile") return "latency of the house's alternatives on target devices";
  return group + " commands";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bespoke::cli;
  CLI::App app{"Bespoke optimizer: block analysis, model house, search and export of tailored students", "bespoke-opt"};
  app.set_version_flag("--version", BESPOKE_VERSION);
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, Subcommand>> commands;
  std::vector<Action> actions;
  std::map<std::string, CLI::App*> groups;  // "house" of "house build"
  for (Subcommand& c : registered_subcommands()) {
    CLI::App* parent = &app;
    std::string leaf = c.name;
    if (const size_t space = c.name.find(' '); space != std::string::npos) {
      const std::string group = c.name.substr(0, space);
      leaf = c.name.substr(space + 1);
      CLI::App*& g = groups[group];
      if (g == nullptr) {
        // A group that is also a command ("profile CONFIG" beside "profile
        // export"): its subcommands hang under that command, optional.
        for (const auto& [sub, command] : commands)
          if (command.name == group) g = sub;
        if (g != nullptr) {
          g->require_subcommand(0, 1);
        } else {
          g = app.add_subcommand(group, group_description(group));
          g->require_subcommand(1);
        }
      }
      parent = g;
    }
    CLI::App* sub = parent->add_subcommand(leaf, c.description);
    actions.push_back(c.configure(*sub));
    commands.emplace_back(sub, std::move(c));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Named by the deepest parsed command ("house build", or "profile export"
    // rather than its group command "profile").
    std::string where = "bespoke-opt";
    for (const auto& [sub, c] : commands)
      if (sub->parsed()) where = "bespoke-opt " + c.name;
    return report_parse_error(app, e, where);
  }
  // The deepest parsed command: "profile export" rather than its group command "profile".
  for (size_t i = commands.size(); i-- > 0;)
    if (commands[i].first->parsed()) return run_action(actions[i], "bespoke-opt " + commands[i].second.name);
  return kExitUsage;  // unreachable: require_subcommand(1)
}
