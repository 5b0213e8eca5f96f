// bespoke-opt search: for one target of the config, the set of the house's
// alternatives that best keeps accuracy within the target's budget
// (search/search_target.h says what a search does).
//
//   bespoke-opt search config.toml --target NAME [--threads N] [--json] [--force]
//
// The house is run.out and must be profiled for the target (bespoke-opt
// profile CONFIG --target NAME). The result goes to
// <house>/search/<target>.json; a second run with the same settings reads it
// back instead of searching, --force searches again (evaluations already in
// <house>/search/<target>.evaluations.jsonl are not run again). Progress lines
// go to stdout, or to stderr with --json, which prints the result's JSON.
// Exit 0 with a winner, 1 when no candidate met the budget (the result file
// says so), 2 for a bad command line or config.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/profile_support.h"
#include "cli/subcommand.h"
#include "config/optimizer_config.h"
#include "latency/device_link.h"
#include "latency/latency_table.h"
#include "search/search_target.h"

namespace bespoke::cli {

namespace {

struct SearchCliOptions {
  std::string config;
  std::string target;
  std::optional<int> threads;
  bool json = false;
  bool force = false;
};

int run(const SearchCliOptions& o) {
  std::optional<ProfileContext> c;
  try {
    c.emplace(open_profile_context(o.config, o.target));
  } catch (const config::ConfigError& e) {
    throw UsageError(e.what());
  }
  if (o.threads) c->config.run.threads = *o.threads;
  const latency::LatencyTable table = latency::load_latency_table(c->store, c->target.name);
  std::unique_ptr<latency::DeviceLink> link;
  if (c->target.device != "offline") link = latency::connect(c->target);

  search::SearchOptions options;
  options.force = o.force;
  options.log = o.json ? &std::cerr : &std::cout;
  const search::SearchResult r =
      search::search_target(c->store, c->config, c->target, c->teacher, table, link.get(), options);
  if (o.json) {
    std::cout << search::search_result_json(r);
  } else {
    std::printf("target %s: budget %.4f ms%s, teacher %.4f ms, %.2f%% on %lld validation images\n", r.target.c_str(),
                r.budget_ms,
                r.memory_budget_bytes > 0 ? (" / " + std::to_string(r.memory_budget_bytes) + " bytes").c_str() : "",
                r.teacher_ms, 100.0 * r.teacher_accuracy, static_cast<long long>(r.validation_images));
    std::printf("  %-8s %8s %12s %12s %12s  %s\n", "", "accuracy", "predicted", r.latency_measured ? "measured" : "",
                r.latency_measured ? "p90" : "", "alternatives");
    for (const search::MeasuredCandidate& m : r.measured) {
      const bool win = r.winner && m.keys == r.winner->keys;
      std::printf("  %-8s %7.2f%% %9.4f ms", win ? "winner" : (m.meets_budget ? "" : "over"), 100.0 * m.accuracy,
                  m.predicted_ms);
      if (m.measured) std::printf(" %9.4f ms %9.4f ms", m.median_ms, m.p90_ms);
      std::printf("  %s\n", search::candidate_name(m.keys).c_str());
    }
    std::printf("%s: %s\n", r.status == "ok" ? "done" : "FAILED",
                r.status == "ok" ? search::search_result_path(c->config, r.target).c_str() : r.message.c_str());
  }
  return r.status == "ok" ? kExitSuccess : kExitFailure;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<SearchCliOptions>();
  command.add_option("config", o->config, "optimizer config (TOML)")->required();
  command.add_option("--target", o->target, "the [[targets]] name to search for")->required();
  command.add_option("--threads", o->threads, "LibTorch threads (overrides run.threads; 0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  command.add_flag("--json", o->json, "print the result as JSON (progress goes to stderr)");
  command.add_flag("--force", o->force, "search again even if a result of the same settings exists");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered = register_subcommand(
    {"search", "the best set of alternatives within a target's latency (and memory) budget", configure});

}  // namespace

}  // namespace bespoke::cli
