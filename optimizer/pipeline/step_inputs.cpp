#include "pipeline/step_inputs.h"

#include <sstream>

#include "latency/sha256.h"

namespace bespoke::pipeline {

namespace {

// Bumped when a student's result.json means something else for the same inputs.
constexpr const char* kStudentResultFormat = "student-result 2 (task heads)";

std::string digest(const std::string& text) {
  return latency::sha256_hex(std::vector<uint8_t>(text.begin(), text.end()));
}

// The effective config's tables as TOML text, table by table.
std::map<std::string, std::string> config_tables(const config::OptimizerConfig& config) {
  std::map<std::string, std::string> tables;
  std::istringstream in(config::to_toml(config));
  std::string table, line;
  while (std::getline(in, line)) {
    if (line.size() > 2 && line.front() == '[') {
      table = line.substr(line.find_first_not_of('['));
      table = table.substr(0, table.find(']'));
      continue;
    }
    if (!table.empty() && !line.empty()) tables[table] += line + "\n";
  }
  return tables;
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

}  // namespace

StepInputs student_inputs(const config::OptimizerConfig& config, const config::TargetConfig& target,
                          const house::HouseStore& store, const latency::LatencyTable& table,
                          const house::TeacherData& data) {
  config::OptimizerConfig c = config;
  c.source.clear();
  c.run.threads = 0;
  c.run.out.clear();
  c.run.log_seconds = 0;
  c.distill.feature_cache_mb = 0;
  c.targets = {target};
  const std::map<std::string, std::string> tables = config_tables(c);
  StepInputs inputs;
  for (const char* name : {"teacher", "data", "house", "distill", "search", "finetune", "run", "targets"}) {
    const auto it = tables.find(name);
    inputs[std::string(name) == "targets" ? "target" : name] = digest(it == tables.end() ? "" : it->second);
  }
  std::string alternatives;
  for (const house::AlternativeRecord& a : store.alternatives())
    if (a.status == house::ItemStatus::kDone)
      alternatives += a.key + " " + house::kind_name(a.kind) + " " + std::to_string(a.params) + " " +
                      std::to_string(a.flops) + " " + number(a.rel_mse) + "\n";
  inputs["house content"] = digest(alternatives);
  std::string measured = number(table.teacher_ms) + "\n";
  for (const double ms : table.unit_ms) measured += number(ms) + " ";
  measured += "\n";
  for (const auto& [key, alt] : table.alternatives) measured += key + " " + number(alt.ms) + "\n";
  inputs["latency table"] = digest(table.device.describe() + "\n" + measured);
  inputs["data identity"] = digest(data.describe + "\n" + data.head.decision);
  inputs["result format"] = digest(kStudentResultFormat);
  return inputs;
}

std::vector<std::string> changed_inputs(const StepInputs& before, const StepInputs& now) {
  std::vector<std::string> changed;
  for (const auto& [name, value] : now) {
    const auto it = before.find(name);
    if (it == before.end() || it->second != value) changed.push_back(name);
  }
  for (const auto& [name, value] : before)
    if (!now.count(name)) changed.push_back(name);
  return changed;
}

}  // namespace bespoke::pipeline
