#include "latency/probe_plan.h"

#include <algorithm>
#include <tuple>

#include "blocks/unit_blocks.h"
#include "export/bspk_writer.h"
#include "house/student.h"

namespace bespoke::latency {

bool is_identity(const house::AlternativeRecord& a) { return a.status == house::ItemStatus::kDone && a.file.empty(); }

std::vector<Probe> plan_probes(const std::vector<house::AlternativeRecord>& alternatives) {
  std::vector<const house::AlternativeRecord*> todo;
  for (const house::AlternativeRecord& a : alternatives)
    if (a.status == house::ItemStatus::kDone && !is_identity(a)) todo.push_back(&a);
  std::sort(todo.begin(), todo.end(), [](const auto* x, const auto* y) {
    return std::tie(x->cut_begin, x->cut_end, x->key) < std::tie(y->cut_begin, y->cut_end, y->key);
  });
  std::vector<Probe> probes;
  std::vector<int> probe_end;  // the last cut covered by each probe so far
  for (const house::AlternativeRecord* a : todo) {
    size_t p = 0;
    while (p < probes.size() && probe_end[p] > a->cut_begin) ++p;
    if (p == probes.size()) {
      probes.emplace_back();
      probe_end.push_back(0);
    }
    probes[p].keys.push_back(a->key);
    probe_end[p] = a->cut_end;
  }
  for (Probe& probe : probes) {
    for (const std::string& key : probe.keys) probe.name += (probe.name.empty() ? "" : "+") + key;
  }
  return probes;
}

ProbeHost make_probe_host(ir::Graph teacher) {
  ProbeHost host;
  host.analysis = blocks::assign_unit_blocks(teacher);
  host.teacher = std::move(teacher);
  return host;
}

std::vector<uint8_t> probe_model(const ProbeHost& host, const house::HouseStore& store,
                                 const std::vector<std::string>& keys) {
  if (keys.empty()) return exporter::write_bspk(host.teacher);
  return exporter::write_bspk(house::stitch_student(host.teacher, host.analysis, store, keys));
}

}  // namespace bespoke::latency
