#include "blocks/naming.h"

#include <algorithm>
#include <map>
#include <set>

namespace bespoke::blocks {

namespace {

using Path = std::vector<std::string>;

// Module path of a node name: the '/'-separated components before the last '/'.
Path module_path(const std::string& node_name) {
  Path path;
  const auto last = node_name.rfind('/');
  if (last == std::string::npos) return path;
  std::string component;
  for (size_t i = 0; i < last; ++i) {
    if (node_name[i] != '/') {
      component += node_name[i];
    } else if (!component.empty()) {
      path.push_back(component);
      component.clear();
    }
  }
  if (!component.empty()) path.push_back(component);
  return path;
}

// Drops a component when the next one repeats it as a prefix ("layer1", "layer1.0").
std::string compact(const Path& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    const bool repeated = i + 1 < path.size() && path[i + 1].rfind(path[i] + ".", 0) == 0;
    if (repeated) continue;
    out += (out.empty() ? "" : "/") + path[i];
  }
  return out;
}

std::string display_name(const ir::Node& n) {
  std::string name = n.name.empty() ? n.op : n.name;
  if (name.size() > 1 && name[0] == '/') name.erase(0, 1);
  return name;
}

}  // namespace

std::string subnetwork_name(const ir::Graph& g, const std::vector<int>& nodes) {
  if (nodes.empty()) return "empty";
  std::vector<Path> paths;
  for (int n : nodes) paths.push_back(module_path(g.nodes[static_cast<size_t>(n)].name));

  Path common = paths.front();
  for (const Path& p : paths) {
    size_t k = 0;
    while (k < common.size() && k < p.size() && common[k] == p[k]) ++k;
    common.resize(k);
  }
  if (!common.empty()) return compact(common);

  std::vector<std::string> distinct;
  std::set<std::string> seen;
  for (const Path& p : paths) {
    const std::string name = compact(p);
    if (!name.empty() && seen.insert(name).second) distinct.push_back(name);
  }
  if (!distinct.empty()) {
    constexpr size_t kShown = 3;
    std::string out;
    for (size_t i = 0; i < std::min(distinct.size(), kShown); ++i) out += (i ? "+" : "") + distinct[i];
    if (distinct.size() > kShown) out += "+...";
    return out;
  }
  const std::string first = display_name(g.nodes[static_cast<size_t>(nodes.front())]);
  if (nodes.size() == 1) return first;
  return first + ".." + display_name(g.nodes[static_cast<size_t>(nodes.back())]);
}

std::vector<std::string> unit_names(const ir::Graph& g, const std::vector<std::vector<int>>& units) {
  std::vector<std::string> names;
  std::map<std::string, int> count;
  for (const auto& nodes : units) {
    names.push_back(subnetwork_name(g, nodes));
    ++count[names.back()];
  }
  for (size_t u = 0; u < units.size(); ++u)
    if (count[names[u]] > 1 && units[u].size() == 1 && names[u].find("..") == std::string::npos)
      names[u] += "/" + g.nodes[static_cast<size_t>(units[u].front())].op;
  make_names_unique(names);
  return names;
}

void make_names_unique(std::vector<std::string>& names) {
  std::set<std::string> used(names.begin(), names.end());
  std::map<std::string, int> seen;
  for (auto& name : names) {
    if (seen[name]++ == 0) continue;
    const std::string base = name;
    for (int k = seen[base];; ++k) {
      const std::string candidate = base + "#" + std::to_string(k);
      if (used.insert(candidate).second) {
        name = candidate;
        break;
      }
    }
  }
}

}  // namespace bespoke::blocks
