#include "arch/architecture.h"

#include <cctype>
#include <stdexcept>

#include "arch/resnet.h"

namespace bespoke::arch {

namespace {

// Digits at the start of `text` from `pos`; advances pos. -1 if none.
int64_t read_number(const std::string& text, size_t& pos) {
  const size_t start = pos;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) && pos - start < 6) ++pos;
  if (pos == start || (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))) return -1;
  return std::stoll(text.substr(start, pos - start));
}

std::invalid_argument unknown(const std::string& name, const std::string& why) {
  std::string text = "unknown architecture '" + name + "' (" + why + "); known:";
  for (const std::string& line : architecture_help()) text += " " + line;
  return std::invalid_argument(text);
}

ResNetSpec parse_resnet(const std::string& name) {
  size_t pos = 6;  // after "resnet"
  const int64_t depth = read_number(name, pos);
  if (depth < 8 || (depth - 2) % 6 != 0) throw unknown(name, "ResNet depth must be 6n + 2, at least 8");
  ResNetSpec spec;
  spec.blocks_per_stage = (depth - 2) / 6;
  while (pos < name.size()) {
    if (name.compare(pos, 2, "-w") == 0) {
      pos += 2;
      spec.width = read_number(name, pos);
      if (spec.width < 1 || spec.width > 1024) throw unknown(name, "width -w<W> must be 1..1024");
    } else if (name.compare(pos, 3, "-s1") == 0 && (pos + 3 == name.size() || name[pos + 3] == '-')) {
      pos += 3;
      spec.stem_stride = 1;
    } else {
      throw unknown(name, "unexpected '" + name.substr(pos) + "'");
    }
  }
  return spec;
}

}  // namespace

std::vector<std::string> architecture_help() {
  return {"resnet<D>[-w<W>][-s1] (D = 8, 14, 20, ... = 6n+2; W = stage-1 width, default 32; -s1 = stride-1 stem)"};
}

ir::Graph make_architecture(const std::string& name, const ArchitectureOptions& options) {
  if (name.rfind("resnet", 0) == 0) return make_resnet(name, parse_resnet(name), options);
  throw unknown(name, "no such family");
}

}  // namespace bespoke::arch
