// Strict access to a canonical node's attributes (conventions of ir/op_set.h),
// shared by the .bspk and ONNX writers. Every accessor checks presence and the
// exact variant type, so that what a writer encodes is exactly what the
// reader reproduces; reject_unread() then reports any attribute the writer did
// not consume (a leftover ONNX attribute such as auto_pad would otherwise be
// dropped silently). Errors throw ExportError naming the node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "export/export_error.h"
#include "ir/graph.h"

namespace bespoke::exporter {

// "node 3 'conv1' (Conv)": how messages name a node.
std::string describe_node(const ir::Node& node, size_t index);

// The allowed values of the canonical Resize string attributes, in the order
// of the matching .bspk enums (ResizeMode, CoordinateTransform, NearestRounding).
extern const std::vector<std::string> kResizeModes;
extern const std::vector<std::string> kCoordinateTransforms;
extern const std::vector<std::string> kNearestModes;

class CanonicalAttrs {
 public:
  static constexpr size_t kAnyCount = static_cast<size_t>(-1);

  CanonicalAttrs(const ir::Node& node, size_t index);

  const ir::Node& node() const { return node_; }
  const std::string& where() const { return where_; }
  bool has(const std::string& key) const { return node_.has(key); }

  // Required attributes of the exact IR type.
  int64_t integer(const std::string& key);
  int32_t int32(const std::string& key);
  bool flag(const std::string& key);  // integer 0 or 1
  double real(const std::string& key);
  std::string text(const std::string& key, const std::vector<std::string>& allowed);
  // Position of the value of `key` in `allowed`.
  size_t choice(const std::string& key, const std::vector<std::string>& allowed);
  std::vector<int64_t> ints(const std::string& key, size_t count = kAnyCount);
  std::vector<int32_t> ints32(const std::string& key, size_t count = kAnyCount);
  std::vector<double> reals(const std::string& key, size_t count = kAnyCount);

  // Throws naming the first attribute no accessor above has read.
  void reject_unread() const;
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  const ir::Attribute& find(const std::string& key, const char* expected_type);

  const ir::Node& node_;
  std::string where_;
  std::set<std::string> read_;
};

// The optional fused activation group: activation "Relu" | "Clip" with
// act_min / act_max. Clip requires both bounds; the canonical Relu has none
// (ir::fuse_activation writes activation = "Relu" only), which is read as
// [0, +inf). Relu bounds given explicitly are kept as they are.
struct FusedActivationAttrs {
  enum class Kind { kNone, kRelu, kClip };
  Kind kind = Kind::kNone;
  double min = 0.0;
  double max = 0.0;
};
FusedActivationAttrs read_fused_activation(CanonicalAttrs& attrs);

}  // namespace bespoke::exporter
