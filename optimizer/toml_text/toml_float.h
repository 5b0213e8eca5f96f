// A double as a TOML float literal: the shortest of %.15g / %.17g that reads
// back exactly (0.3 stays "0.3"), always with a '.' or exponent so that TOML
// keeps it a float.
#pragma once

#include <string>

namespace bespoke::toml_text {

std::string toml_float(double value);

}  // namespace bespoke::toml_text
