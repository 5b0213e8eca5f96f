#include "export/canonical_attrs.h"

#include <limits>
#include <variant>

namespace bespoke::exporter {

namespace {

const char* attribute_type_name(const ir::Attribute& a) {
  switch (a.index()) {
    case 0: return "int";
    case 1: return "float";
    case 2: return "string";
    case 3: return "ints";
    case 4: return "floats";
  }
  return "?";
}

bool fits_int32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

}  // namespace

std::string describe_node(const ir::Node& node, size_t index) {
  std::string s = "node " + std::to_string(index);
  if (!node.name.empty()) s += " '" + node.name + "'";
  return s + " (" + node.op + ")";
}

const std::vector<std::string> kResizeModes = {"nearest", "linear"};
const std::vector<std::string> kCoordinateTransforms = {"half_pixel", "align_corners", "asymmetric",
                                                        "pytorch_half_pixel"};
const std::vector<std::string> kNearestModes = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};

CanonicalAttrs::CanonicalAttrs(const ir::Node& node, size_t index) : node_(node), where_(describe_node(node, index)) {}

void CanonicalAttrs::fail(const std::string& problem) const { throw ExportError(where_ + ": " + problem); }

const ir::Attribute& CanonicalAttrs::find(const std::string& key, const char* expected_type) {
  auto it = node_.attrs.find(key);
  if (it == node_.attrs.end()) fail(std::string("missing required attribute '") + key + "' (" + expected_type + ")");
  read_.insert(key);
  if (std::string(attribute_type_name(it->second)) != expected_type)
    fail("attribute '" + key + "' is " + attribute_type_name(it->second) + ", expected " + expected_type);
  return it->second;
}

int64_t CanonicalAttrs::integer(const std::string& key) { return std::get<int64_t>(find(key, "int")); }

int32_t CanonicalAttrs::int32(const std::string& key) {
  int64_t v = integer(key);
  if (!fits_int32(v)) fail("attribute '" + key + "' = " + std::to_string(v) + " does not fit in int32");
  return static_cast<int32_t>(v);
}

bool CanonicalAttrs::flag(const std::string& key) {
  int64_t v = integer(key);
  if (v != 0 && v != 1) fail("attribute '" + key + "' must be 0 or 1, got " + std::to_string(v));
  return v == 1;
}

double CanonicalAttrs::real(const std::string& key) { return std::get<double>(find(key, "float")); }

std::string CanonicalAttrs::text(const std::string& key, const std::vector<std::string>& allowed) {
  return allowed[choice(key, allowed)];
}

size_t CanonicalAttrs::choice(const std::string& key, const std::vector<std::string>& allowed) {
  const std::string& v = std::get<std::string>(find(key, "string"));
  for (size_t i = 0; i < allowed.size(); ++i)
    if (allowed[i] == v) return i;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
  fail("attribute '" + key + "' is \"" + v + "\", expected one of " + list);
}

std::vector<int64_t> CanonicalAttrs::ints(const std::string& key, size_t count) {
  const auto& v = std::get<std::vector<int64_t>>(find(key, "ints"));
  if (count != kAnyCount && v.size() != count)
    fail("attribute '" + key + "' must have " + std::to_string(count) + " values, has " + std::to_string(v.size()));
  return v;
}

std::vector<int32_t> CanonicalAttrs::ints32(const std::string& key, size_t count) {
  std::vector<int32_t> out;
  for (int64_t v : ints(key, count)) {
    if (!fits_int32(v)) fail("attribute '" + key + "' value " + std::to_string(v) + " does not fit in int32");
    out.push_back(static_cast<int32_t>(v));
  }
  return out;
}

std::vector<double> CanonicalAttrs::reals(const std::string& key, size_t count) {
  const auto& v = std::get<std::vector<double>>(find(key, "floats"));
  if (count != kAnyCount && v.size() != count)
    fail("attribute '" + key + "' must have " + std::to_string(count) + " values, has " + std::to_string(v.size()));
  return v;
}

void CanonicalAttrs::reject_unread() const {
  for (const auto& [key, value] : node_.attrs)
    if (!read_.count(key)) fail("unexpected attribute '" + key + "' (not part of the canonical " + node_.op + ")");
}

FusedActivationAttrs read_fused_activation(CanonicalAttrs& attrs) {
  FusedActivationAttrs act;
  if (!attrs.has("activation")) {
    if (attrs.has("act_min") || attrs.has("act_max")) attrs.fail("'act_min' / 'act_max' given without 'activation'");
    return act;
  }
  std::string kind = attrs.text("activation", {"Relu", "Clip"});
  if (kind == "Relu") {
    act.kind = FusedActivationAttrs::Kind::kRelu;
    act.min = attrs.has("act_min") ? attrs.real("act_min") : 0.0;
    act.max = attrs.has("act_max") ? attrs.real("act_max") : std::numeric_limits<double>::infinity();
  } else {
    act.kind = FusedActivationAttrs::Kind::kClip;
    act.min = attrs.real("act_min");
    act.max = attrs.real("act_max");
  }
  return act;
}

}  // namespace bespoke::exporter
