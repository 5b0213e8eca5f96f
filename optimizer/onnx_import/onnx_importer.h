// ONNX -> IR. Two stages, usable separately:
//
//  1. import_onnx(): the raw import into the "ONNX dialect" of the IR -- node
//     op types and attributes exactly as in the ONNX file (int -> int64_t,
//     float -> double, string, ints, floats), initializers and Constant nodes
//     as IR constants (no node), dtypes from the proto, symbolic input dims
//     resolved through ImportOptions. Opsets 9..17 of the default domain;
//     older models are first up-converted with ONNX's version converter.
//  2. legalize(): ONNX dialect -> the canonical op set of ir/op_set.h.
//
// load_onnx_for_inference() runs the whole pipeline (import, shape inference
// and constant folding, legalization, ir::optimize_for_inference, validation)
// and reports every problem it finds in one ImportError.
//
// Every failure is an ImportError whose message is one line naming the file
// and what is wrong (the node and op type, the value, the tensor).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "ir/graph.h"

namespace bespoke::onnx_import {

struct ImportOptions {
  std::map<std::string, ir::Shape> input_shapes;  // static shapes for inputs with dynamic dims
  int64_t default_dim = 1;                         // any remaining symbolic dim (batch)
  bool run_checker = true;                         // onnx::checker::check_model
};

class ImportError : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

// Raw import: ONNX proto -> IR in the ONNX dialect. Throws ImportError.
// Metadata: "onnx_opset" (the opset the graph follows, after any
// up-conversion), "onnx_source_opset" (the file's own opset), "onnx_producer",
// "onnx_ir_version", "source" (path); g.name is the ONNX graph name (or the
// file stem when unnamed).
ir::Graph import_onnx(const std::string& path, const ImportOptions& options = {});
ir::Graph import_onnx_bytes(const void* data, size_t size, const ImportOptions& options = {},
                            const std::string& source = "<memory>");

// ONNX dialect -> canonical ops (op_set.h). Expects nodes in topological order
// and shapes inferred (ir::infer_shapes / ir::fold_constants); re-runs them
// itself when a rewrite makes more shapes or constants known. Identity and
// Dropout are left for ir::remove_identity; 1-D Conv / pools become 2-D ones
// over a height-1 image between Reshapes. Throws ImportError listing every
// node it cannot rewrite (unsupported op types with a node name each).
void legalize(ir::Graph& g);

// import_onnx, ir::infer_shapes + ir::fold_constants to a fixed point,
// legalize, ir::optimize_for_inference, ir::validate(require_canonical=true).
ir::Graph load_onnx_for_inference(const std::string& path, const ImportOptions& options = {});

}  // namespace bespoke::onnx_import
