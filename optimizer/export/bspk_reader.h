// .bspk -> IR, the exact inverse of write_bspk(): read_bspk(write_bspk(g))
// equals g in every field (values with names, dtypes, shapes and constant
// bytes; nodes with their canonical attributes and attribute types; graph
// inputs/outputs; metadata; blocks with provenance), except that the block
// write_bspk() synthesizes for a graph without blocks is not re-created.
//
// The file is untrusted: the FlatBuffers verifier runs first, then every
// index, buffer range and size, opcode and options table is checked. Failures
// throw ExportError with a message naming the part of the file at fault; an
// unknown opcode names the code and the file's min_runtime_version.
// Float attributes are stored as float32 in the file; they round-trip exactly
// when representable in float32 (always the case for ONNX-imported values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "export/export_error.h"
#include "ir/graph.h"

namespace bespoke::exporter {

ir::Graph read_bspk(const uint8_t* data, size_t size);
ir::Graph load_bspk(const std::string& path);

}  // namespace bespoke::exporter
