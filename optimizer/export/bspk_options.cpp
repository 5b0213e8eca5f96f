#include "export/bspk_options.h"

#include <limits>
#include <optional>

namespace bespoke::exporter {

namespace {

using C = fb::OpCode;
using O = fb::OperatorOptions;
using Ints = std::vector<int64_t>;

// ---- encoding (IR attributes -> tables) ----

float to_f32(double v) { return static_cast<float>(v); }

std::optional<fb::FusedActivation> encode_activation(CanonicalAttrs& a) {
  FusedActivationAttrs act = read_fused_activation(a);
  switch (act.kind) {
    case FusedActivationAttrs::Kind::kNone: return std::nullopt;
    case FusedActivationAttrs::Kind::kRelu:
      return fb::FusedActivation(fb::ActivationType::RELU, to_f32(act.min), to_f32(act.max));
    case FusedActivationAttrs::Kind::kClip:
      return fb::FusedActivation(fb::ActivationType::CLIP, to_f32(act.min), to_f32(act.max));
  }
  return std::nullopt;
}

const fb::FusedActivation* ptr(const std::optional<fb::FusedActivation>& act) { return act ? &*act : nullptr; }

// kernel_shape, strides, dilations, pads of Conv / ConvTranspose / pools.
struct Window {
  std::vector<int32_t> k, s, d, p;
};

Window read_window(CanonicalAttrs& a) {
  return {a.ints32("kernel_shape", 2), a.ints32("strides", 2), a.ints32("dilations", 2), a.ints32("pads", 4)};
}

template <typename T>
EncodedOptions pack(O type, flatbuffers::Offset<T> table) {
  return {type, table.Union()};
}

EncodedOptions encode_table(flatbuffers::FlatBufferBuilder& fbb, const BspkOpInfo& info, CanonicalAttrs& a) {
  switch (info.code) {
    case C::CONV_2D: {
      Window w = read_window(a);
      int32_t groups = a.int32("group");
      auto act = encode_activation(a);
      return pack(info.options, fb::CreateConv2DOptions(fbb, w.k[0], w.k[1], w.s[0], w.s[1], w.d[0], w.d[1], w.p[0],
                                                        w.p[1], w.p[2], w.p[3], groups, ptr(act)));
    }
    case C::CONV_TRANSPOSE_2D: {
      Window w = read_window(a);
      auto out_pad = a.ints32("output_padding", 2);
      int32_t groups = a.int32("group");
      auto act = encode_activation(a);
      return pack(info.options,
                  fb::CreateConvTranspose2DOptions(fbb, w.k[0], w.k[1], w.s[0], w.s[1], w.d[0], w.d[1], w.p[0], w.p[1],
                                                   w.p[2], w.p[3], out_pad[0], out_pad[1], groups, ptr(act)));
    }
    case C::FULLY_CONNECTED: {
      auto act = encode_activation(a);
      return pack(info.options, fb::CreateFullyConnectedOptions(fbb, ptr(act)));
    }
    case C::MAX_POOL_2D:
    case C::AVERAGE_POOL_2D: {
      Window w = read_window(a);
      bool include_pad = info.code == C::AVERAGE_POOL_2D && a.flag("count_include_pad");
      return pack(info.options, fb::CreatePool2DOptions(fbb, w.k[0], w.k[1], w.s[0], w.s[1], w.d[0], w.d[1], w.p[0],
                                                        w.p[1], w.p[2], w.p[3], include_pad));
    }
    case C::ADD:
    case C::SUB:
    case C::MUL:
    case C::DIV: {
      auto act = encode_activation(a);
      return pack(info.options, fb::CreateBinaryOptions(fbb, ptr(act)));
    }
    case C::CLIP: {
      float lo = to_f32(a.real("min")), hi = to_f32(a.real("max"));
      return pack(info.options, fb::CreateClipOptions(fbb, lo, hi));
    }
    case C::LEAKY_RELU: return pack(info.options, fb::CreateLeakyReluOptions(fbb, to_f32(a.real("alpha"))));
    case C::HARD_SIGMOID: {
      float alpha = to_f32(a.real("alpha")), beta = to_f32(a.real("beta"));
      return pack(info.options, fb::CreateHardSigmoidOptions(fbb, alpha, beta));
    }
    case C::SOFTMAX: return pack(info.options, fb::CreateSoftmaxOptions(fbb, a.int32("axis")));
    case C::CONCAT: return pack(info.options, fb::CreateConcatOptions(fbb, a.int32("axis")));
    case C::RESHAPE: return pack(info.options, fb::CreateReshapeOptions(fbb));
    case C::TRANSPOSE: {
      auto perm = a.ints32("perm");
      return pack(info.options, fb::CreateTransposeOptionsDirect(fbb, &perm));
    }
    case C::PAD: {
      auto pads = a.ints32("pads");
      float value = to_f32(a.real("value"));
      return pack(info.options, fb::CreatePadOptionsDirect(fbb, &pads, value));
    }
    case C::RESIZE: {
      // Enum values are the positions in the canonical value lists.
      auto mode = static_cast<fb::ResizeMode>(a.choice("mode", kResizeModes));
      auto transform =
          static_cast<fb::CoordinateTransform>(a.choice("coordinate_transformation_mode", kCoordinateTransforms));
      auto rounding = static_cast<fb::NearestRounding>(a.choice("nearest_mode", kNearestModes));
      auto scales = a.reals("scales", 2);
      return pack(info.options,
                  fb::CreateResizeOptions(fbb, mode, transform, rounding, to_f32(scales[0]), to_f32(scales[1])));
    }
    case C::CHANNEL_SHUFFLE: return pack(info.options, fb::CreateChannelShuffleOptions(fbb, a.int32("group")));
    case C::REDUCE_MEAN: {
      auto axes = a.ints32("axes");
      bool keep = a.flag("keepdims");
      return pack(info.options, fb::CreateReduceOptionsDirect(fbb, &axes, keep));
    }
    case C::SLICE: {
      auto starts = a.ints32("starts"), ends = a.ints32("ends"), steps = a.ints32("steps");
      if (ends.size() != starts.size() || steps.size() != starts.size())
        a.fail("'starts', 'ends' and 'steps' must have the same length");
      return pack(info.options, fb::CreateSliceOptionsDirect(fbb, &starts, &ends, &steps));
    }
    case C::SPLIT: {
      int32_t axis = a.int32("axis");
      auto sizes = a.ints32("split");
      if (sizes.size() != a.node().outputs.size())
        a.fail("attribute 'split' has " + std::to_string(sizes.size()) + " sizes for " +
               std::to_string(a.node().outputs.size()) + " outputs");
      return pack(info.options, fb::CreateSplitOptionsDirect(fbb, axis, &sizes));
    }
    case C::BATCH_NORM: return pack(info.options, fb::CreateBatchNormOptions(fbb, to_f32(a.real("epsilon"))));
    case C::GLOBAL_AVERAGE_POOL:
    case C::RELU:
    case C::SIGMOID:
    case C::HARD_SWISH:
    case C::SILU:
    case C::TANH:
    case C::SQRT:
    case C::BATCH_MATMUL: return {};
  }
  a.fail("no options encoding for this op");
}

// ---- decoding (tables -> IR attributes) ----

// The union member's name, or its number when this build does not know it.
std::string options_name(O type) {
  const char* name = fb::EnumNameOperatorOptions(type);
  return *name ? name : "#" + std::to_string(static_cast<int>(type));
}

class Decoder {
 public:
  Decoder(ir::Node& node, const std::string& where) : node_(node), where_(where) {}

  void set(const std::string& key, ir::Attribute v) { node_.attrs[key] = std::move(v); }
  void set_ints(const std::string& key, const flatbuffers::Vector<int32_t>* v) {
    Ints out;
    if (v) out.assign(v->begin(), v->end());
    set(key, std::move(out));
  }
  template <typename T>
  void window(const T& o) {
    set("kernel_shape", Ints{o.kernel_h(), o.kernel_w()});
    set("strides", Ints{o.stride_h(), o.stride_w()});
    set("dilations", Ints{o.dilation_h(), o.dilation_w()});
    set("pads", Ints{o.pad_top(), o.pad_left(), o.pad_bottom(), o.pad_right()});
  }
  void activation(const fb::FusedActivation* act) {
    if (!act || act->type() == fb::ActivationType::NONE) return;
    if (act->type() == fb::ActivationType::RELU) {
      set("activation", std::string("Relu"));
      // The canonical Relu carries no bounds; the writer stores it as [0, +inf).
      if (act->min() == 0.0f && act->max() == std::numeric_limits<float>::infinity()) return;
    } else if (act->type() == fb::ActivationType::CLIP) {
      set("activation", std::string("Clip"));
    } else {
      fail("unknown fused activation type " + std::to_string(static_cast<int>(act->type())));
    }
    set("act_min", static_cast<double>(act->min()));
    set("act_max", static_cast<double>(act->max()));
  }
  template <typename E>
  std::string enum_text(E value, const std::vector<std::string>& names, const char* field) {
    auto i = static_cast<size_t>(value);
    if (i >= names.size()) fail(std::string("unknown ") + field + " value " + std::to_string(static_cast<int>(value)));
    return names[i];
  }
  [[noreturn]] void fail(const std::string& problem) const { throw ExportError(where_ + ": " + problem); }

 private:
  ir::Node& node_;
  const std::string& where_;
};

}  // namespace

EncodedOptions encode_options(flatbuffers::FlatBufferBuilder& fbb, const BspkOpInfo& info, CanonicalAttrs& attrs) {
  EncodedOptions encoded = encode_table(fbb, info, attrs);
  attrs.reject_unread();
  return encoded;
}

void decode_options(const fb::Operator& op, const BspkOpInfo& info, ir::Node& node, const std::string& where) {
  Decoder d(node, where);
  const O type = op.options_type();
  if (type != O::NONE && type != info.options)
    d.fail("options table " + options_name(type) + " does not belong to this opcode (expected " +
           (info.options == O::NONE ? std::string("none") : options_name(info.options)) + ")");
  if (info.options != O::NONE && (type == O::NONE || op.options() == nullptr))
    d.fail(std::string("missing ") + fb::EnumNameOperatorOptions(info.options) + " table");

  switch (info.code) {
    case C::CONV_2D: {
      const auto& o = *op.options_as_Conv2DOptions();
      d.window(o);
      d.set("group", int64_t{o.groups()});
      d.activation(o.activation());
      return;
    }
    case C::CONV_TRANSPOSE_2D: {
      const auto& o = *op.options_as_ConvTranspose2DOptions();
      d.window(o);
      d.set("output_padding", Ints{o.output_padding_h(), o.output_padding_w()});
      d.set("group", int64_t{o.groups()});
      d.activation(o.activation());
      return;
    }
    case C::FULLY_CONNECTED: d.activation(op.options_as_FullyConnectedOptions()->activation()); return;
    case C::MAX_POOL_2D:
    case C::AVERAGE_POOL_2D: {
      const auto& o = *op.options_as_Pool2DOptions();
      d.window(o);
      if (info.code == C::AVERAGE_POOL_2D) d.set("count_include_pad", int64_t{o.count_include_pad() ? 1 : 0});
      return;
    }
    case C::ADD:
    case C::SUB:
    case C::MUL:
    case C::DIV: d.activation(op.options_as_BinaryOptions()->activation()); return;
    case C::CLIP: {
      const auto& o = *op.options_as_ClipOptions();
      d.set("min", static_cast<double>(o.min()));
      d.set("max", static_cast<double>(o.max()));
      return;
    }
    case C::LEAKY_RELU: d.set("alpha", static_cast<double>(op.options_as_LeakyReluOptions()->alpha())); return;
    case C::HARD_SIGMOID: {
      const auto& o = *op.options_as_HardSigmoidOptions();
      d.set("alpha", static_cast<double>(o.alpha()));
      d.set("beta", static_cast<double>(o.beta()));
      return;
    }
    case C::SOFTMAX: d.set("axis", int64_t{op.options_as_SoftmaxOptions()->axis()}); return;
    case C::CONCAT: d.set("axis", int64_t{op.options_as_ConcatOptions()->axis()}); return;
    case C::TRANSPOSE: d.set_ints("perm", op.options_as_TransposeOptions()->perm()); return;
    case C::PAD: {
      const auto& o = *op.options_as_PadOptions();
      d.set_ints("pads", o.pads());
      d.set("value", static_cast<double>(o.value()));
      return;
    }
    case C::RESIZE: {
      const auto& o = *op.options_as_ResizeOptions();
      d.set("mode", d.enum_text(o.mode(), kResizeModes, "resize mode"));
      d.set("coordinate_transformation_mode",
            d.enum_text(o.coordinate_transform(), kCoordinateTransforms, "coordinate transform"));
      d.set("nearest_mode", d.enum_text(o.nearest_rounding(), kNearestModes, "nearest rounding"));
      d.set("scales", std::vector<double>{o.scale_h(), o.scale_w()});
      return;
    }
    case C::CHANNEL_SHUFFLE: d.set("group", int64_t{op.options_as_ChannelShuffleOptions()->groups()}); return;
    case C::REDUCE_MEAN: {
      const auto& o = *op.options_as_ReduceOptions();
      d.set_ints("axes", o.axes());
      d.set("keepdims", int64_t{o.keep_dims() ? 1 : 0});
      return;
    }
    case C::SLICE: {
      const auto& o = *op.options_as_SliceOptions();
      d.set_ints("starts", o.starts());
      d.set_ints("ends", o.ends());
      d.set_ints("steps", o.steps());
      return;
    }
    case C::SPLIT: {
      const auto& o = *op.options_as_SplitOptions();
      d.set("axis", int64_t{o.axis()});
      d.set_ints("split", o.sizes());
      return;
    }
    case C::BATCH_NORM: d.set("epsilon", static_cast<double>(op.options_as_BatchNormOptions()->epsilon())); return;
    case C::GLOBAL_AVERAGE_POOL:
    case C::RESHAPE:
    case C::RELU:
    case C::SIGMOID:
    case C::HARD_SWISH:
    case C::SILU:
    case C::TANH:
    case C::SQRT:
    case C::BATCH_MATMUL: return;
  }
}

}  // namespace bespoke::exporter
