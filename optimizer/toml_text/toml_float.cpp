#include "toml_text/toml_float.h"

#include <cstdio>
#include <cstdlib>

namespace bespoke::toml_text {

std::string toml_float(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", value);
  if (std::strtod(buf, nullptr) != value) std::snprintf(buf, sizeof buf, "%.17g", value);
  std::string text = buf;
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // "inf"/"nan" contain n
  return text;
}

}  // namespace bespoke::toml_text
