// An alternative: a cheaper single-input single-output sub-network that may
// replace one sampled span [cut_begin, cut_end] of the teacher (ARCHITECTURE.md
// section 1, step 2). Its graph maps the teacher's feature at cut_begin to a
// tensor shaped like the teacher's feature at cut_end, so it can be distilled
// on the teacher's features and stitched in without further adapters.
//
// Kinds (house/alternative_kind.h):
//  * drop       a shorter teacher span [c, d] inside [a, b] with the same
//               input and output shapes, or the identity (no operators) when
//               the span's input and output shapes are equal;
//  * pretrained a span of a public pretrained model, re-instantiated at the
//               teacher's feature size, wrapped in channel adapters;
//  * pruned     the teacher span, or a drop's shorter kept span, with the
//               filters of its inner convolutions pruned by L1 norm;
//  * low_rank   the teacher span with its convolutions factorized by a
//               truncated SVD.
//
// Keys are deterministic and unique within a house: "s<a>-<b>/<kind>/<detail>",
// for example "s1-3/drop/2-3", "s1-3/drop/identity", "s1-3/pruned/0.5",
// "s1-3/pruned/2-3/0.5" (the drop 2-3, pruned),
// "s1-3/low_rank/0.25", "s1-3/pretrained/<model>/4-6". Every random choice
// while making or training an alternative is seeded from (run seed, key), so
// an alternative's weights do not depend on which other alternatives a run
// (or a shard) makes.
#pragma once

#include <cstdint>
#include <string>

#include "house/alternative_kind.h"
#include "ir/graph.h"

namespace bespoke::house {

struct Alternative {
  std::string key;
  AlternativeKind kind = AlternativeKind::kDrop;
  int cut_begin = 0;  // the teacher span it replaces (teacher cut indices)
  int cut_end = 0;
  double ratio = 0.0;        // pruned: fraction of filters removed; low_rank: rank / full rank
  std::string origin_model;  // the model its operators come from (teacher or pretrained source)
  std::string origin_node_begin, origin_node_end;
  std::string adapters;       // "" or what stitch added at the seams
  ir::Graph graph;            // no nodes: the identity
  ir::Provenance provenance;  // stored on the .bspk block
};

// "s1-3": the key prefix of a teacher span.
std::string span_key(int cut_begin, int cut_end);

// A seed for one alternative: the run seed mixed with its key (FNV-1a), the
// same on every platform and in every shard.
uint64_t alternative_seed(uint64_t run_seed, const std::string& key);

}  // namespace bespoke::house
