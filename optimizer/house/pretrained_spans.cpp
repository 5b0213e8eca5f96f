#include "house/pretrained_spans.h"

#include <algorithm>
#include <cmath>

#include "blocks/surgery.h"
#include "house/output_projection.h"
#include "ir/cost.h"
#include "ir/passes.h"

namespace bespoke::house {

namespace {

bool is_feature_map(const std::optional<ir::Shape>& s) { return s && s->size() == 4; }

// The reason a span's operators fix a spatial size, or "".
std::string fixed_size_reason(const ir::Graph& g, const blocks::SubNetwork& span) {
  for (int n : span.nodes) {
    const ir::Node& node = g.nodes[static_cast<size_t>(n)];
    if (node.op == "Reshape" || node.op == "FullyConnected" || node.op == "Transpose")
      return "fixes a size (" + node.op + ")";
    if (node.op == "Resize") {
      const std::vector<double> scales = node.get_floats("scales");
      if (scales.empty() || std::any_of(scales.begin(), scales.end(), [](double x) { return x <= 0.0; }))
        return "fixes a size (Resize to fixed sizes)";
    }
  }
  return "";
}

// The span re-instantiated with input [1, C, h, w]; throws ir::GraphError
// when shapes cannot be inferred at that size.
ir::Graph reinstantiate(const ir::Graph& source, int c, int d, int64_t h, int64_t w) {
  ir::Graph g = blocks::extract_span(source, c, d);
  const int input = g.inputs.at(0);
  ir::Shape in = g.shape_of(input);
  in[0] = 1;
  in[2] = h;
  in[3] = w;
  for (size_t v = 0; v < g.values.size(); ++v)
    if (!g.values[v].is_constant()) g.values[v].shape.reset();
  g.values[static_cast<size_t>(input)].shape = in;
  ir::infer_shapes(g);
  if (!g.values[static_cast<size_t>(g.outputs.at(0))].shape) throw ir::GraphError("output shape not inferable");
  return g;
}

// Ends `g` with a 1x1 convolution initialized to the identity, named as an
// output adapter, when the span already has the teacher's channel count (so
// stitch adds none): every pretrained alternative then ends in a linear
// projection that distillation starts from a least-squares fit
// (output_projection.h).
void append_output_projection(ir::Graph& g) {
  const int out = g.outputs.at(0);
  const ir::Shape shape = g.shape_of(out);
  const int64_t c = shape[1];
  std::vector<float> w(static_cast<size_t>(c * c), 0.0f);
  for (int64_t i = 0; i < c; ++i) w[static_cast<size_t>(i * c + i)] = 1.0f;
  ir::Value v;
  v.name = g.unique_name(g.values[static_cast<size_t>(out)].name + "/projected");
  v.shape = shape;
  const int projected = g.add_value(v);
  ir::Node n;
  n.name = g.name + "/" + kOutputAdapterMarker;
  n.op = "Conv";
  n.inputs = {out, g.add_constant(g.unique_name(n.name + ".weight"), ir::TensorData::from_floats({c, c, 1, 1}, w)),
              g.add_constant(g.unique_name(n.name + ".bias"),
                             ir::TensorData::from_floats({c}, std::vector<float>(static_cast<size_t>(c), 0.0f)))};
  n.outputs = {projected};
  n.attrs["kernel_shape"] = std::vector<int64_t>{1, 1};
  n.attrs["strides"] = std::vector<int64_t>{1, 1};
  n.attrs["dilations"] = std::vector<int64_t>{1, 1};
  n.attrs["pads"] = std::vector<int64_t>{0, 0, 0, 0};
  n.attrs["group"] = int64_t{1};
  g.add_node(std::move(n));
  g.outputs = {projected};
}

struct Candidate {
  Alternative alt;
  int64_t flops = 0;
};

}  // namespace

PretrainedSource make_pretrained_source(std::string name, std::string path, ir::Graph graph) {
  PretrainedSource s;
  s.name = std::move(name);
  s.path = std::move(path);
  s.analysis = blocks::analyze_blocks(graph);
  s.graph = std::move(graph);
  return s;
}

std::vector<Alternative> pretrained_alternatives(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int a,
                                                 int b, const PretrainedSource& source,
                                                 const PretrainedOptions& options, SkipCounts& skips) {
  const blocks::SubNetwork target = analysis.span(a, b);
  if (!is_feature_map(target.input_shape) || !is_feature_map(target.output_shape) || !target.stride) return {};
  const ir::Shape& tin = *target.input_shape;
  const ir::Shape& tout = *target.output_shape;
  const ir::Graph host = blocks::extract_span(teacher, a, b);
  const int host_cuts = static_cast<int>(blocks::analyze_blocks(host).cuts.size());

  std::vector<Candidate> candidates;
  const int cuts = static_cast<int>(source.analysis.cuts.size());
  for (int c = 0; c < cuts; ++c) {
    for (int d = c + options.min_units; d <= std::min(cuts - 1, c + options.max_units); ++d) {
      const blocks::SubNetwork span = source.analysis.span(c, d);
      if (!is_feature_map(span.input_shape) || !is_feature_map(span.output_shape) || !span.stride) {
        ++skips["not between feature maps"];
        continue;
      }
      if (std::fabs(*span.stride - *target.stride) > 1e-9) continue;  // another reduction: not a candidate at all
      if (const std::string why = fixed_size_reason(source.graph, span); !why.empty()) {
        ++skips[why];
        continue;
      }
      ir::Graph g;
      try {
        g = reinstantiate(source.graph, c, d, tin[2], tin[3]);
      } catch (const std::exception&) {
        ++skips["cannot be re-instantiated at the teacher's size"];
        continue;
      }
      const ir::Shape& out = g.shape_of(g.outputs[0]);
      if (out.size() != 4 || out[2] != tout[2] || out[3] != tout[3]) {
        ++skips["another output size at the teacher's size"];
        continue;
      }
      if (out[1] == tout[1]) append_output_projection(g);
      blocks::Replacement r;
      r.cut_begin = 0;
      r.cut_end = host_cuts - 1;
      r.graph = std::move(g);
      r.provenance = blocks::pretrained_span_provenance(source.graph, span);
      r.provenance.source_model = source.name;
      r.name = source.name + "/" + std::to_string(c) + "-" + std::to_string(d);
      Candidate cand;
      try {
        cand.alt.graph = blocks::stitch(host, {r});
      } catch (const std::exception&) {
        ++skips["cannot be joined to the teacher"];
        continue;
      }
      const ir::GraphSummary cost = ir::summarize(cand.alt.graph);
      if (static_cast<double>(cost.parameters) > options.max_params_ratio * static_cast<double>(target.params)) {
        ++skips["more parameters than allowed"];
        continue;
      }
      if (cost.flops >= target.flops) {
        ++skips["not cheaper than the teacher span"];
        continue;
      }
      Alternative& alt = cand.alt;
      alt.key = span_key(a, b) + "/pretrained/" + source.name + "/" + std::to_string(c) + "-" + std::to_string(d);
      alt.kind = AlternativeKind::kPretrained;
      alt.cut_begin = a;
      alt.cut_end = b;
      alt.origin_model = source.name;
      alt.origin_node_begin = r.provenance.source_node_begin;
      alt.origin_node_end = r.provenance.source_node_end;
      alt.provenance = alt.graph.blocks.at(0).provenance;
      for (const auto& [key, value] : alt.provenance.parameters)
        if (key == "adapter_in" || key == "adapter_out")
          alt.adapters += (alt.adapters.empty() ? "" : "; ") + key.substr(8) + ": " + value;
      alt.provenance.parameters.emplace_back("source_cuts", std::to_string(c) + "-" + std::to_string(d));
      alt.graph.blocks.clear();
      cand.flops = cost.flops;
      candidates.push_back(std::move(cand));
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.flops < y.flops; });
  std::vector<Alternative> chosen;
  const size_t keep = std::min(candidates.size(), static_cast<size_t>(std::max(0, options.max_per_span)));
  if (candidates.size() > keep) skips["over the per-span limit"] += static_cast<int>(candidates.size() - keep);
  for (size_t i = 0; i < keep; ++i) {
    const size_t at = keep == 1 ? 0 : i * (candidates.size() - 1) / (keep - 1);
    chosen.push_back(std::move(candidates[at].alt));
  }
  return chosen;
}

}  // namespace bespoke::house
