// stitch() of surgery.h.
#include <algorithm>

#include "blocks/graph_assembler.h"
#include "blocks/node_selection.h"
#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "ir/graph_analysis.h"
#include "ir/passes.h"

namespace bespoke::blocks {

namespace {

std::string span_text(int a, int b) { return "[" + std::to_string(a) + ", " + std::to_string(b) + "]"; }

const ir::Shape& known_shape(const ir::Graph& g, int v, const std::string& where) {
  const auto& shape = g.values[static_cast<size_t>(v)].shape;
  if (!shape) throw BlockError(where + ": value '" + g.values[static_cast<size_t>(v)].name + "' has no known shape");
  return *shape;
}

// A replacement checked against the host, with what its seams need.
struct Seam {
  const Replacement* r = nullptr;
  std::string name;   // block name
  std::string where;  // "stitch: replacement 'x' for span [a, b]"
  uint32_t block_id = 0;
  bool adapt_in = false, adapt_out = false;
};

Seam check_replacement(const ir::Graph& host, const BlockAnalysis& a, const Replacement& r, size_t index) {
  Seam s;
  s.r = &r;
  s.name = !r.name.empty() ? r.name : !r.graph.name.empty() ? r.graph.name : "replacement" + std::to_string(index);
  s.where = "stitch: replacement '" + s.name + "' for span " + span_text(r.cut_begin, r.cut_end);
  s.block_id = r.block_id ? *r.block_id : static_cast<uint32_t>(a.units.size() + index);
  if (r.cut_begin < 0 || r.cut_end <= r.cut_begin || static_cast<size_t>(r.cut_end) >= a.cuts.size())
    throw BlockError(s.where + ": not a span of host '" + host.name + "', which has " + std::to_string(a.cuts.size()) +
                     " cuts (need 0 <= begin < end <= " + std::to_string(a.cuts.size() - 1) + ")");
  const ir::Graph& rg = r.graph;
  if (rg.inputs.size() != 1 || rg.outputs.size() != 1)
    throw BlockError(s.where + ": the replacement graph must have one input and one output, it has " +
                     std::to_string(rg.inputs.size()) + " and " + std::to_string(rg.outputs.size()));
  for (int v : {rg.inputs[0], rg.outputs[0]})
    if (v < 0 || static_cast<size_t>(v) >= rg.values.size())
      throw BlockError(s.where + ": replacement input/output id " + std::to_string(v) + " is out of range");
  const std::string at_begin = s.where + ": input at host cut " + std::to_string(r.cut_begin) + " ('" +
                               host.values[static_cast<size_t>(a.cuts[static_cast<size_t>(r.cut_begin)])].name + "')";
  const std::string at_end = s.where + ": output at host cut " + std::to_string(r.cut_end) + " ('" +
                             host.values[static_cast<size_t>(a.cuts[static_cast<size_t>(r.cut_end)])].name + "')";
  s.adapt_in = needs_channel_adapter(known_shape(host, a.cuts[static_cast<size_t>(r.cut_begin)], at_begin),
                                     known_shape(rg, rg.inputs[0], at_begin), at_begin + ", host -> replacement");
  s.adapt_out = needs_channel_adapter(known_shape(rg, rg.outputs[0], at_end),
                                      known_shape(host, a.cuts[static_cast<size_t>(r.cut_end)], at_end),
                                      at_end + ", replacement -> host");
  return s;
}

std::vector<Seam> check_replacements(const ir::Graph& host, const BlockAnalysis& a,
                                     const std::vector<Replacement>& replacements) {
  std::vector<Seam> seams;
  for (size_t i = 0; i < replacements.size(); ++i) seams.push_back(check_replacement(host, a, replacements[i], i));
  std::stable_sort(seams.begin(), seams.end(),
                   [](const Seam& x, const Seam& y) { return x.r->cut_begin < y.r->cut_begin; });
  for (size_t i = 1; i < seams.size(); ++i)
    if (seams[i].r->cut_begin < seams[i - 1].r->cut_end)
      throw BlockError("stitch: replacements '" + seams[i - 1].name + "' " +
                       span_text(seams[i - 1].r->cut_begin, seams[i - 1].r->cut_end) + " and '" + seams[i].name + "' " +
                       span_text(seams[i].r->cut_begin, seams[i].r->cut_end) + " overlap");
  return seams;
}

class Stitcher {
 public:
  Stitcher(const ir::Graph& host, const BlockAnalysis& a, const std::vector<Seam>& seams)
      : host_(host),
        a_(a),
        seams_(seams),
        replaced_unit_(a.units.size(), false),
        kept_(host.nodes.size(), false),
        host_copy_(host, out_, "", true) {
    for (const Seam& s : seams)
      for (int u = s.r->cut_begin; u < s.r->cut_end; ++u) replaced_unit_[static_cast<size_t>(u)] = true;
    for (size_t u = 0; u < a.units.size(); ++u)
      if (!replaced_unit_[u])
        for (int n : a.units[u].nodes) kept_[static_cast<size_t>(n)] = true;
    add_detached_producers(host, a, kept_);
    reserve_host_names();
  }

  ir::Graph run() {
    out_.graph.name = host_.name;
    out_.graph.metadata = host_.metadata;
    out_.graph.inputs = {host_copy_.value(host_.inputs[0])};
    size_t next_seam = 0;
    for (size_t u = 0; u < a_.units.size();) {
      if (next_seam < seams_.size() && static_cast<size_t>(seams_[next_seam].r->cut_begin) == u) {
        const Seam& s = seams_[next_seam++];
        emit_replacement(s);
        u = static_cast<size_t>(s.r->cut_end);
      } else {
        emit_host_unit(u++);
      }
    }
    const int output = host_copy_.value(host_.outputs[0]);
    if (output == out_.graph.inputs[0])
      throw BlockError("stitch: the replacements leave no operator between the input and the output of '" + host_.name +
                       "'");
    out_.graph.outputs = {output};
    const std::vector<std::string> problems = ir::validate(out_.graph, false);
    if (!problems.empty())
      throw BlockError("stitch: the stitched graph '" + host_.name + "' is invalid: " + problems.front() +
                       (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : ""));
    return std::move(out_.graph);
  }

 private:
  void reserve_host_names() {
    auto reserve = [&](int v) {
      if (v >= 0) out_.reserve_value_name(host_.values[static_cast<size_t>(v)].name);
    };
    for (size_t n = 0; n < host_.nodes.size(); ++n) {
      if (!kept_[n]) continue;
      out_.reserve_node_name(host_.nodes[n].name);
      for (int v : host_.nodes[n].inputs) reserve(v);
      for (int v : host_.nodes[n].outputs) reserve(v);
    }
    reserve(host_.inputs[0]);
    reserve(host_.outputs[0]);
    for (const Seam& s : seams_) {
      reserve(a_.cuts[static_cast<size_t>(s.r->cut_begin)]);
      reserve(a_.cuts[static_cast<size_t>(s.r->cut_end)]);
    }
  }

  void add_block(const std::string& name, uint32_t id, int first, int input, int output, ir::Provenance provenance) {
    const int count = static_cast<int>(out_.graph.nodes.size()) - first;
    if (count == 0) return;
    ir::Block b;
    b.id = id;
    b.name = name;
    b.first_node = first;
    b.node_count = count;
    b.input_value = input;
    b.output_value = output;
    b.provenance = std::move(provenance);
    out_.graph.blocks.push_back(std::move(b));
  }

  void emit_host_unit(size_t u) {
    const SubNetwork& unit = a_.units[u];
    const int first = static_cast<int>(out_.graph.nodes.size());
    for (int n : unit.nodes) host_copy_.copy_node(n);
    add_block(unit.name, static_cast<uint32_t>(u), first, host_copy_.value(unit.input_value),
              host_copy_.value(unit.output_value), teacher_span_provenance(unit.cut_begin, unit.cut_end));
  }

  void emit_replacement(const Seam& s) {
    const Replacement& r = *s.r;
    const ir::Graph& rg = r.graph;
    const int first = static_cast<int>(out_.graph.nodes.size());
    // Constant-only host nodes of the replaced units that kept units still read.
    for (int u = r.cut_begin; u < r.cut_end; ++u)
      for (int n : a_.units[static_cast<size_t>(u)].nodes)
        if (kept_[static_cast<size_t>(n)]) host_copy_.copy_node(n);

    const int host_in = a_.cuts[static_cast<size_t>(r.cut_begin)];
    const int host_out = a_.cuts[static_cast<size_t>(r.cut_end)];
    const int rin = rg.inputs[0], rout = rg.outputs[0];
    const std::string prefix = s.name + "/";
    PieceCopier copy(rg, out_, prefix, false);
    ir::Provenance provenance = r.provenance;
    provenance.teacher_cut_begin = r.cut_begin;
    provenance.teacher_cut_end = r.cut_end;

    const int seam_in = host_copy_.value(host_in);
    if (s.adapt_in) {
      const ir::Shape& to = *rg.values[static_cast<size_t>(rin)].shape;
      const int adapted = out_.add_value(s.name + "/adapter_in", "", to);
      provenance.parameters.emplace_back(
          "adapter_in", append_channel_adapter(out_, seam_in, *host_.values[static_cast<size_t>(host_in)].shape,
                                               adapted, to, r.adapters, s.name + "/adapter_in"));
      copy.bind(rin, adapted);
    } else {
      copy.bind(rin, seam_in);
    }
    // The seam value keeps the host's name: the last replacement node (or the
    // output adapter) writes it. An empty replacement forwards its input.
    if (rout == rin && !s.adapt_out) {
      host_copy_.bind(host_out, copy.value(rin));
    } else if (!s.adapt_out) {
      copy.bind(rout, host_copy_.value(host_out));
    }
    for (int n : ir::topological_order(rg)) copy.copy_node(n);
    if (s.adapt_out) {
      const ir::Shape& from = *rg.values[static_cast<size_t>(rout)].shape;
      provenance.parameters.emplace_back(
          "adapter_out", append_channel_adapter(out_, copy.value(rout), from, host_copy_.value(host_out),
                                                *host_.values[static_cast<size_t>(host_out)].shape, r.adapters,
                                                s.name + "/adapter_out"));
    }
    add_block(s.name, s.block_id, first, seam_in, host_copy_.value(host_out), std::move(provenance));
  }

  const ir::Graph& host_;
  const BlockAnalysis& a_;
  const std::vector<Seam>& seams_;
  std::vector<bool> replaced_unit_;
  std::vector<bool> kept_;
  GraphAssembler out_;
  PieceCopier host_copy_;
};

}  // namespace

ir::Graph stitch(const ir::Graph& host, const std::vector<Replacement>& replacements) {
  const BlockAnalysis a = analyze_blocks(host);
  const std::vector<Seam> seams = check_replacements(host, a, replacements);
  return Stitcher(host, a, seams).run();
}

}  // namespace bespoke::blocks
