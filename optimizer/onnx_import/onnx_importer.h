// ONNX -> IR. Two stages, usable separately:
//
//  1. import_onnx(): the raw import into the "ONNX dialect" of the IR -- node
//     op types and attributes exactly as in the ONNX file (int -> int64_t,
//     float -> double, string, ints, floats), initializers and Constant nodes
//     as IR constants (no node), dtypes from the proto, symbolic input dims
//     resolved through ImportOptions (only a batch dimension has a default). Opsets 9..17 of the default domain;
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
#include <vector>

#include "ir/graph.h"
#include "ir/passes.h"

namespace bespoke::onnx_import {

struct ImportOptions {
  // Static shapes of inputs, by name. An input the model declares with a
  // dynamic dimension other than its batch needs one here: the import refuses
  // to guess a spatial size.
  std::map<std::string, ir::Shape> input_shapes;
  // A dynamic first dimension of an input of rank >= 2 not in input_shapes
  // (the batch) takes this value; ImportReport::notes says so.
  int64_t default_batch = 1;
  bool run_checker = true;  // onnx::checker::check_model
};

// What an import did besides building the graph, for tools that show it
// (bespoke-convert --verbose, notes on stderr). Pass one to fill it.
struct ImportReport {
  std::vector<std::string> notes;  // assumptions made, one line each (a defaulted batch dimension)
  size_t onnx_nodes = 0;           // after the first shape inference, folding and dead-code removal
  ir::PassCounts settle;           // shape inference + constant folding before legalization
  size_t canonical_nodes = 0;      // after legalization
  ir::PassCounts optimize;         // ir::optimize_for_inference after legalization
};

// A graph input as the file declares it (initializers excluded): its name and
// dims, -1 for a dynamic or unknown one; `has_shape` false when the model
// declares no shape at all. For tools that choose sizes for dynamic inputs
// (a pretrained source is re-instantiated at other sizes anyway).
struct DeclaredInput {
  std::string name;
  bool has_shape = false;
  std::vector<int64_t> dims;
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
ir::Graph import_onnx(const std::string& path, const ImportOptions& options = {}, ImportReport* report = nullptr);
ir::Graph import_onnx_bytes(const void* data, size_t size, const ImportOptions& options = {},
                            const std::string& source = "<memory>", ImportReport* report = nullptr);

// ONNX dialect -> canonical ops (op_set.h). Expects nodes in topological order
// and shapes inferred (ir::infer_shapes / ir::fold_constants); re-runs them
// itself when a rewrite makes more shapes or constants known. Identity and
// Dropout are left for ir::remove_identity; 1-D Conv / pools become 2-D ones
// over a height-1 image between Reshapes. Throws ImportError listing every
// node it cannot rewrite (unsupported op types with a node name each).
void legalize(ir::Graph& g);

// import_onnx, ir::settle_shapes_and_constants, legalize,
// ir::optimize_for_inference, ir::validate(require_canonical=true).
// The inputs of the ONNX file at `path`; throws ImportError for a file that
// does not parse as a model.
std::vector<DeclaredInput> declared_inputs(const std::string& path);

ir::Graph load_onnx_for_inference(const std::string& path, const ImportOptions& options = {},
                                  ImportReport* report = nullptr);

}  // namespace bespoke::onnx_import
