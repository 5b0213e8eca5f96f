// The offline way to profile an air-gapped device (docs/profile-bundle.md):
//
//   bespoke-opt profile export CONFIG --target NAME DIR
//       -> DIR/manifest.json + DIR/<model>.bspk (the teacher and every probe)
//   bespoke-bench --manifest DIR/manifest.json --json > report.json   (on the device)
//   bespoke-opt profile import CONFIG report.json
//
// The manifest names every model (its measurement name, file, byte count,
// SHA-256, whether its per-block profile is wanted) and the settings; its id
// is the SHA-256 of the target name, the settings text (table_builder.h,
// probe plan included) and every model's name and hash, so it changes with
// anything that would change the measurements.
//
// Import rebuilds the manifest the house would export now and refuses a
// report whose manifest_id differs (another manifest, or a house changed
// since the export), whose models differ in name or hash, or whose rounds are
// incomplete; a report from a device with another fingerprint than a stored
// profile of the same target is refused unless force. The report's numbers
// are then stored exactly as a live profile stores them (latency_store.h)
// and the table is built by the same code (table_builder.h).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"
#include "latency/profiler.h"

namespace bespoke::latency {

inline constexpr const char* kManifestFormat = "bespoke-profile-manifest";
inline constexpr const char* kReportFormat = "bespoke-profile-report";

struct BundleModel {
  std::string name;  // kTeacherEndToEnd, kTeacherProfiled or a probe name
  std::string file;  // inside the bundle folder
  std::vector<uint8_t> bytes;
  std::string sha256;
  bool profile = true;
};

struct Bundle {
  std::string id;
  std::string target;
  MeasureSettings settings;
  std::vector<BundleModel> models;
};

// The bundle of `target` for the house as it is now (nothing written).
Bundle plan_bundle(const house::HouseStore& store, const config::ProfileConfig& profile,
                   const config::TargetConfig& target, const ir::Graph& teacher);

// Writes the bundle's files and manifest.json into `dir` (created). Throws
// LatencyError or HouseError naming the file.
void write_bundle(const Bundle& bundle, const std::string& dir);

// Checks `report_path` against the bundle the house would export now and
// stores it as target `target`'s profile. `report_target` is the "target"
// the report names (read first, so the caller can find its TargetConfig):
// see report_target().
ProfileResult import_report(house::HouseStore& store, const config::ProfileConfig& profile,
                            const config::TargetConfig& target, const ir::Graph& teacher,
                            const std::string& report_path, const ProfileOptions& options, std::ostream& progress);

// The target a report names; throws LatencyError for an unreadable report.
std::string report_target(const std::string& report_path);

// The parts every bespoke-bench report shares (runtime/tools/bench_manifest.h),
// also read by the acceptance report (pipeline/offline_acceptance.h): the
// "device" object and one model's measurement ("rounds", "blocks",
// "arena_bytes", "weights_bytes", "backends"). Throw LatencyError naming
// `where` and the field that is missing or mistyped.
agent::Device device_from_json(const nlohmann::json& device, const std::string& where);
agent::ModelMeasurement measurement_from_json(const nlohmann::json& measurement, const std::string& where);

}  // namespace bespoke::latency
