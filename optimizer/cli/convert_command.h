// The conversion command: ONNX -> canonical IR -> .bspk (and optionally a
// cleaned ONNX), printing a summary of the converted graph.
//
//   convert model.onnx -o model.bspk [--input-shape x=1,3,224,224 ...] [--default-batch N]
//           [--onnx-out clean.onnx] [--external-data] [--json] [--verbose] [--no-check]
//
// One implementation, two spellings: `bespoke-opt convert` (cli/convert.cpp
// registers it) and `bespoke-convert` (tools/), the light tool for users who
// only convert. A single-input single-output model is written with one block
// per unit (blocks::assign_unit_blocks), so bespoke-bench profiles it per unit.
// --verbose prints, on stderr, what each pass changed (ir::PassCounts).
#pragma once

#include "cli/subcommand.h"

namespace bespoke::cli {

Subcommand convert_command();

}  // namespace bespoke::cli
