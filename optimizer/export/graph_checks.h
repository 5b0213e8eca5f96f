// Structural checks a graph must pass before either writer encodes it. Each
// throws ExportError naming the value, node or block at fault. The writers
// call them in this order: values, nodes, execution order, blocks.
#pragma once

#include <string>

#include "export/bspk_op_table.h"
#include "ir/graph.h"

namespace bespoke::exporter {

// "value 7 'conv1.weight'".
std::string describe_value(const ir::Graph& g, int value);

// Every value has a known static shape with dimensions in [1, INT32_MAX];
// a constant's TensorData agrees with its value (dtype, shape, byte count).
void check_values(const ir::Graph& g);

// Node i is canonical with a valid arity, every index is a value id (or -1 for
// an absent optional input), and its weights (Conv/ConvTranspose/
// FullyConnected W and B, BatchNormalization parameters) are constants.
// Returns the op's table entry.
const BspkOpInfo& check_node(const ir::Graph& g, size_t i);

// Every node input is a constant, a graph input or an output of an earlier
// node; no value is produced twice; graph inputs/outputs are value ids.
void check_execution_order(const ir::Graph& g);

// g.blocks partition g.nodes in order (first_node consecutive, node_count >= 1,
// covering every node), input/output values are ids or -1, and no block uses
// the reserved "bespoke." provenance parameter keys.
void check_blocks(const ir::Graph& g);

}  // namespace bespoke::exporter
