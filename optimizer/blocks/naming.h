// Short names for sub-networks, derived from the node names an exporter left.
//
// PyTorch exports name nodes by module path ("/layer1/layer1.0/conv1/Conv"):
// the name is then the common module path of the nodes, with the parent
// components PyTorch repeats dropped ("/features/features.3/conv/conv.0" ->
// "features.3/conv.0"); nodes without a common path give the distinct paths
// joined with '+' ("avgpool+fc"). Otherwise (PaddlePaddle's "p2o.Conv.4") a
// single node gives its name and several "first..last".
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::blocks {

std::string subnetwork_name(const ir::Graph& g, const std::vector<int>& nodes);

// Names of the units of one graph (node lists in unit order), distinct: a
// single-node unit whose name repeats another's gets its op appended
// ("stage2.0/ChannelShuffle" after the "stage2.0" block), remaining repeats
// "#2", "#3", ...
std::vector<std::string> unit_names(const ir::Graph& g, const std::vector<std::vector<int>>& units);

// Makes names distinct by appending "#2", "#3", ... to later repeats.
void make_names_unique(std::vector<std::string>& names);

}  // namespace bespoke::blocks
