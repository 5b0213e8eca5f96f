// bespoke-opt house list: every alternative of a model house, as a table or
// as JSON (one object per alternative, every column of house.sqlite, "id" =
// "key"; NaN losses are null).
//
//   bespoke-opt house list DIR [--json]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_support.h"
#include "cli/subcommand.h"
#include "house/house_store.h"

namespace bespoke::cli {

namespace {

using nlohmann::json;

struct ListOptions {
  std::string dir;
  bool json = false;
};

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json alternative_json(const house::AlternativeRecord& a) {
  return {{"id", a.key},
          {"key", a.key},
          {"kind", house::kind_name(a.kind)},
          {"cut_begin", a.cut_begin},
          {"cut_end", a.cut_end},
          {"origin_model", a.origin_model},
          {"origin_node_begin", a.origin_node_begin},
          {"origin_node_end", a.origin_node_end},
          {"ratio", a.ratio},
          {"adapters", a.adapters},
          {"params", a.params},
          {"flops", a.flops},
          {"macs", a.macs},
          {"loss_before", number_or_null(a.loss_before)},
          {"loss_after", number_or_null(a.loss_after)},
          {"rel_mse", number_or_null(a.rel_mse)},
          {"steps", a.steps},
          {"status", house::status_name(a.status)},
          {"reason", a.reason},
          {"seconds", a.seconds},
          {"file", a.file}};
}

std::string number_text(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

int run(const ListOptions& options) {
  const house::HouseStore store = house::HouseStore::open(options.dir, false);
  store.check_files();
  const auto alternatives = store.alternatives();
  if (options.json) {
    json out = json::array();
    for (const house::AlternativeRecord& a : alternatives) out.push_back(alternative_json(a));
    std::cout << out.dump(2) << "\n";
    return kExitSuccess;
  }
  int key_width = 3;
  for (const house::AlternativeRecord& a : alternatives)
    key_width = std::max(key_width, static_cast<int>(a.key.size()));
  std::printf("%-*s %-10s %-7s %9s %9s %9s %-7s %s\n", key_width, "key", "kind", "span", "params", "flops", "rel_mse",
              "status", "file / reason");
  for (const house::AlternativeRecord& a : alternatives) {
    const std::string span = std::to_string(a.cut_begin) + "-" + std::to_string(a.cut_end);
    const bool done = a.status == house::ItemStatus::kDone;
    std::printf("%-*s %-10s %-7s %9s %9s %9s %-7s %s\n", key_width, a.key.c_str(), house::kind_name(a.kind),
                span.c_str(), human_count(a.params).c_str(), human_count(a.flops).c_str(),
                number_text(a.rel_mse).c_str(), house::status_name(a.status),
                (done ? a.file : one_line(a.reason)).c_str());
  }
  std::printf("%zu alternatives\n", alternatives.size());
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto options = std::make_shared<ListOptions>();
  command.add_option("dir", options->dir, "the house folder")->required();
  command.add_flag("--json", options->json, "one JSON array of objects (id, kind, cut_begin, cut_end, params, ...)");
  return [options] { return run(*options); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"house list", "the alternatives of a house, as a table or JSON", configure});

}  // namespace

}  // namespace bespoke::cli
