// Joining the stores of a sharded build (`bespoke-opt house build --shard K/N`
// writes <out>/shard-K-of-N) into one house.
#pragma once

#include <string>
#include <vector>

namespace bespoke::house {

// Merges the houses `in_dirs` into `out_dir` (created when absent; an existing
// house there takes part like one more input, so a merge can be re-run).
// Refuses, with a HouseError naming the folder and the differing keys, houses
// built from different configs (config::house_differences of their "config"
// meta); refuses a key (alternative or span) present twice with different
// content (status, reason, or file bytes) or two keys sharing a file name
// with different bytes; checks every input's files first. Then copies the
// files (write_file_atomically) before their rows, so an interrupted merge
// leaves only complete rows and can simply be run again. The output's meta is
// the first input's without "shard"; its config is also written to
// <out_dir>/config.toml, as house build does.
void merge_houses(const std::string& out_dir, const std::vector<std::string>& in_dirs);

}  // namespace bespoke::house
