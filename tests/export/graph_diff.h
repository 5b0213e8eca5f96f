// Field-by-field comparison of two IR graphs for the round-trip tests:
// values (names, dtypes, shapes, constant bytes), nodes (attributes with
// their exact variant types), inputs/outputs, metadata and blocks.
#pragma once

#include <string>

#include "ir/graph.h"

namespace bespoke::test {

// "ints 1 2 3", "float 0.5", "string \"x\"": an attribute with its IR type.
std::string attribute_string(const ir::Attribute& a);

// "" when a and b are identical, else a description of the first difference.
std::string first_difference(const ir::Graph& a, const ir::Graph& b);

}  // namespace bespoke::test
