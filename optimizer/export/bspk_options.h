// Canonical node attributes <-> .bspk operator options tables, one function
// each way. encode_options() reads every canonical attribute of the node
// (strictly, via CanonicalAttrs) and decode_options() reproduces exactly that
// attribute set with the IR types (int64_t, double, std::string,
// std::vector<int64_t>, std::vector<double>), so that the two are inverses.
#pragma once

#include <string>

#include "export/bspk_op_table.h"
#include "export/canonical_attrs.h"
#include "ir/graph.h"
#include "schema/bespoke_generated.h"

namespace bespoke::exporter {

struct EncodedOptions {
  fb::OperatorOptions type = fb::OperatorOptions::NONE;
  flatbuffers::Offset<void> table = 0;
};

// Throws ExportError (via attrs) for missing, mistyped or unexpected attributes.
EncodedOptions encode_options(flatbuffers::FlatBufferBuilder& fbb, const BspkOpInfo& info, CanonicalAttrs& attrs);

// Fills node.attrs from op's options. `where` names the operator in messages.
void decode_options(const fb::Operator& op, const BspkOpInfo& info, ir::Node& node, const std::string& where);

}  // namespace bespoke::exporter
