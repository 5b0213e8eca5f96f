// Internal: how the importer words its errors. Every ImportError message is
// one line; lists of problems are joined with "; ".
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bespoke::onnx_import::detail {

// Newlines and runs of whitespace collapsed into single spaces.
std::string one_line(const std::string& text);

// The problems, each made one line, joined with "; ".
std::string join_problems(const std::vector<std::string>& problems);

// "Erf (nodes 'a', 'b'), Foo (node 'c')" for op type -> node labels; at most
// three labels per op type, then "and N more".
std::string ops_with_nodes(const std::map<std::string, std::vector<std::string>>& nodes_by_op);

}  // namespace bespoke::onnx_import::detail
