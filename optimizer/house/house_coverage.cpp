#include "house/house_coverage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "house/house_error.h"

namespace bespoke::house {

namespace {

std::vector<bool> covered_units(size_t units, const std::vector<CutSpan>& spans) {
  std::vector<bool> covered(units, false);
  for (const auto& [a, b] : spans)
    for (int u = std::max(a, 0); u < std::min(b, static_cast<int>(units)); ++u) covered[static_cast<size_t>(u)] = true;
  return covered;
}

// "3, 4, 8–11": runs of three or more as ranges.
std::string unit_list(const std::vector<int>& units) {
  std::string text;
  for (size_t i = 0; i < units.size();) {
    size_t j = i;
    while (j + 1 < units.size() && units[j + 1] == units[j] + 1) ++j;
    if (!text.empty()) text += ", ";
    if (j - i >= 2) {
      text += std::to_string(units[i]) + "\u2013" + std::to_string(units[j]);
    } else {
      text += std::to_string(units[i]);
      if (j > i) text += ", " + std::to_string(units[j]);
    }
    i = j + 1;
  }
  return text;
}

}  // namespace

Coverage compute_coverage(const std::vector<UnitCost>& units, const std::vector<CutSpan>& spans) {
  Coverage c;
  c.spans = static_cast<int>(spans.size());
  const std::vector<bool> covered = covered_units(units.size(), spans);
  for (size_t u = 0; u < units.size(); ++u) {
    c.total_flops += units[u].flops;
    if (covered[u]) c.covered_flops += units[u].flops;
    if (!units[u].not_coverable.empty())
      c.not_coverable.push_back(static_cast<int>(u));
    else if (!covered[u])
      c.uncovered.push_back(static_cast<int>(u));
  }
  return c;
}

std::optional<double> covered_share(const std::vector<double>& unit_values, const std::vector<CutSpan>& spans) {
  const std::vector<bool> covered = covered_units(unit_values.size(), spans);
  double total = 0.0, part = 0.0;
  for (size_t u = 0; u < unit_values.size(); ++u) {
    total += unit_values[u];
    if (covered[u]) part += unit_values[u];
  }
  if (!(total > 0.0)) return std::nullopt;
  return part / total;
}

std::string share_text(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", std::floor(1000.0 * share) / 10.0);
  return text;
}

std::string describe_coverage(const Coverage& coverage, const std::vector<UnitCost>& units) {
  const std::string head = share_text(coverage.flops_share()) + " of the teacher's FLOPs in " +
                           std::to_string(coverage.spans) + (coverage.spans == 1 ? " span" : " spans");
  // Not coverable, grouped by reason in unit order; a group after every
  // coverable unit is the classifier head (pooled vectors, logits).
  int last_coverable = -1;
  for (size_t u = 0; u < units.size(); ++u)
    if (units[u].not_coverable.empty()) last_coverable = static_cast<int>(u);
  std::vector<std::pair<std::string, std::vector<int>>> groups;
  for (int u : coverage.not_coverable) {
    const std::string& why = units.at(static_cast<size_t>(u)).not_coverable;
    auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == why; });
    if (g == groups.end()) g = groups.insert(groups.end(), {why, {}});
    g->second.push_back(u);
  }
  std::string groups_text;
  for (const auto& [why, list] : groups)
    groups_text += (groups_text.empty() ? "" : "; ") + unit_list(list) + " \u2014 " +
                   (list.front() > last_coverable ? "the head, " : "") + why;
  std::vector<std::string> parts;
  if (!groups_text.empty()) parts.push_back("units not coverable: " + groups_text);
  if (!coverage.uncovered.empty()) parts.push_back("units not covered: " + unit_list(coverage.uncovered));
  std::string text = head;
  for (size_t i = 0; i < parts.size(); ++i) text += (i ? "; " : " (") + parts[i];
  return parts.empty() ? text : text + ")";
}

std::string units_to_json(const std::vector<UnitCost>& units) {
  nlohmann::json list = nlohmann::json::array();
  for (const UnitCost& u : units)
    list.push_back({{"name", u.name}, {"flops", u.flops}, {"not_coverable", u.not_coverable}});
  return list.dump();
}

std::vector<UnitCost> units_from_json(const std::string& text) {
  try {
    const nlohmann::json list = nlohmann::json::parse(text);
    if (!list.is_array()) throw HouseError("meta '" + std::string(kUnitsMeta) + "' is not a list of units");
    std::vector<UnitCost> units;
    for (const nlohmann::json& u : list)
      units.push_back(
          {u.at("name").get<std::string>(), u.at("flops").get<int64_t>(), u.at("not_coverable").get<std::string>()});
    return units;
  } catch (const nlohmann::json::exception& e) {
    throw HouseError("meta '" + std::string(kUnitsMeta) + "' is not a list of units: " + e.what());
  }
}

}  // namespace bespoke::house
