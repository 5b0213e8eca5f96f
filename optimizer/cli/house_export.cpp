// bespoke-opt house export: the files a device needs from a model house, to
// profile every alternative and teacher span there: each done alternative's
// and each span's .bspk (the identity has none), plus manifest.json
//
//   {"format": "bespoke-house-export", "schema_version": 1,
//    "config_hash": "fnv1a64:<16 hex digits of the stored config text>",
//    "files": [{"file", "key", "kind", "cut_begin", "cut_end", "size"}, ...]}
//
// Spans are listed with kind "teacher_span" and key "s<a>-<b>/teacher".
//
//   bespoke-opt house export DIR OUT
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/subcommand.h"
#include "house/house_store.h"

namespace bespoke::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ExportOptions {
  std::string dir;
  std::string out;
};

// Identifies the config a house was built with; not a security hash.
std::string config_hash(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

int run(const ExportOptions& options) {
  const house::HouseStore store = house::HouseStore::open(options.dir, false);
  store.check_files();
  std::error_code ec;
  if (fs::exists(options.out, ec) && fs::equivalent(options.out, options.dir, ec))
    throw UsageError(options.out + ": is the house folder itself");
  fs::create_directories(options.out, ec);
  if (ec) throw house::HouseError(options.out + ": cannot create the folder: " + ec.message());

  json files = json::array();
  const auto copy = [&](const std::string& file, const std::string& key, const std::string& kind, int begin, int end) {
    const std::vector<uint8_t> bytes = house::read_file_bytes(store.path(file));
    house::write_file_atomically((fs::path(options.out) / file).string(), bytes);
    files.push_back(
        {{"file", file}, {"key", key}, {"kind", kind}, {"cut_begin", begin}, {"cut_end", end}, {"size", bytes.size()}});
  };
  for (const house::SpanRecord& s : store.spans()) {
    const std::string key = "s" + std::to_string(s.cut_begin) + "-" + std::to_string(s.cut_end) + "/teacher";
    copy(s.file, key, "teacher_span", s.cut_begin, s.cut_end);
  }
  for (const house::AlternativeRecord& a : store.alternatives()) {
    // Failed alternatives and the identity (no operators, nothing to run) have no file.
    if (a.status == house::ItemStatus::kDone && !a.file.empty())
      copy(a.file, a.key, house::kind_name(a.kind), a.cut_begin, a.cut_end);
  }
  const json manifest = {{"format", "bespoke-house-export"},
                         {"schema_version", house::HouseStore::kSchemaVersion},
                         {"config_hash", config_hash(store.meta("config").value_or(""))},
                         {"files", files}};
  const std::string text = manifest.dump(2) + "\n";
  house::write_file_atomically((fs::path(options.out) / "manifest.json").string(),
                               std::vector<uint8_t>(text.begin(), text.end()));
  std::cout << "exported " << files.size() << " files to " << options.out << " (manifest.json)\n";
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto options = std::make_shared<ExportOptions>();
  command.add_option("dir", options->dir, "the house folder")->required();
  command.add_option("out", options->out, "the folder to write the .bspk files and manifest.json to")->required();
  return [options] { return run(*options); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"house export", "copy a house's .bspk files with a JSON manifest for a device", configure});

}  // namespace

}  // namespace bespoke::cli
