// Scalars written as TOML literals, for every file that writes TOML by hand
// (the optimizer config, the training config and checkpoint records).
#pragma once

#include <string>

namespace bespoke::toml_text {

// A double as a TOML float literal: the shortest of %.15g / %.17g that reads
// back exactly (0.3 stays "0.3"), always with a '.' or exponent so that TOML
// keeps it a float; "inf" / "nan" for the non-finite values.
std::string toml_float(double value);

// A basic TOML string: quotes, backslashes and control characters escaped.
std::string toml_string(const std::string& value);

}  // namespace bespoke::toml_text
