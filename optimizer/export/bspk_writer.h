// IR -> .bspk (schema/bespoke.fbs, described in schema/FORMAT.md).
//
// Accepts only canonical graphs (ir/op_set.h): every node a canonical op with
// exactly its canonical attributes, every value with a known static shape,
// weights constant. Anything else throws ExportError naming the node or value.
//
// Layout decisions:
//  * tensors are written in value order, so value id == tensor index and
//    read_bspk() reproduces the ids;
//  * constants sharing one ir::ConstantPtr share one buffer;
//  * buffer 0 is the empty sentinel; constant data is inline, 64-byte aligned
//    from the start of the file, or (external_data) appended after the
//    flatbuffer at 64-aligned file offsets with Buffer.data absent;
//  * if g.blocks is empty and the graph has exactly one input, one output and
//    at least one node, one block named "model" covering every operator is
//    written (provenance OTHER, marked with the parameter
//    kDefaultBlockMarker = "1"); read_bspk() drops exactly that block again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "export/export_error.h"
#include "ir/graph.h"

namespace bespoke::exporter {

struct BspkWriteOptions {
  std::string producer_name = "bespoke";
  std::string producer_version = "0.2.0";
  // Weights after the flatbuffer (Buffer.offset/size, 64-aligned) instead of inline.
  bool external_data = false;
};

// Provenance parameter key that marks the writer-synthesized whole-model block.
// Keys starting with "bespoke." are reserved for the writer.
inline constexpr const char* kDefaultBlockMarker = "bespoke.default_block";

// The complete file contents.
std::vector<uint8_t> write_bspk(const ir::Graph& g, const BspkWriteOptions& options = {});
void save_bspk(const ir::Graph& g, const std::string& path, const BspkWriteOptions& options = {});

}  // namespace bespoke::exporter
