// The one exception type of the exporters: a graph that cannot be written, or
// a .bspk file that cannot be read. Messages name the node, value or file
// part at fault ("node 'conv1' (Conv): attribute 'pads' must have 4 values").
#pragma once

#include <stdexcept>

namespace bespoke::exporter {

class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::exporter
