// The canonical operator set: what the IR holds after import + clean-up, and
// exactly what the .bspk writer accepts (one-to-one with fb::OpCode). Op names
// and attribute names follow ONNX; attributes are normalized (explicit,
// non-negative axes, 2-D spatial, no auto_pad) so that writers and backends
// need no ONNX knowledge.
//
//  op                  inputs                 attributes (all required unless marked)
//  Conv                X, W, [B]              kernel_shape[2], strides[2], dilations[2],
//                                             pads[4] (top, left, bottom, right), group,
//                                             [activation "Relu"|"Clip", act_min, act_max]
//  ConvTranspose       X, W, [B]              as Conv + output_padding[2]
//  FullyConnected      X, W[N,K] const, [B]   [activation...]   (Y = X W^T + B on the last dim)
//  MaxPool             X                      kernel_shape[2], strides[2], dilations[2], pads[4]
//  AveragePool         X                      kernel_shape[2], strides[2], dilations[2], pads[4],
//                                             count_include_pad
//  GlobalAveragePool   X
//  Add Sub Mul Div     A, B (broadcast)       [activation...]
//  Relu Sigmoid HardSwish SiLU Tanh Sqrt  X
//  Clip                X                      min, max (floats)
//  LeakyRelu           X                      alpha
//  HardSigmoid         X                      alpha, beta
//  Softmax             X                      axis (>= 0, opset-13 semantics)
//  Concat              X1..Xn                 axis (>= 0)
//  Reshape             X                      (target shape = output value's shape)
//  Transpose           X                      perm
//  Pad                 X                      pads[2*rank] (begins then ends, >= 0), value
//  Resize              X (NCHW)               mode "nearest"|"linear",
//                                             coordinate_transformation_mode ("half_pixel",
//                                             "align_corners", "asymmetric", "pytorch_half_pixel"),
//                                             nearest_mode ("round_prefer_floor", "round_prefer_ceil",
//                                             "floor", "ceil"), scales[2] (h, w; 0 = from shapes)
//  ChannelShuffle      X (NCHW)               group
//  ReduceMean          X                      axes (sorted, >= 0), keepdims
//  Slice               X                      starts, ends, steps: one per input dim, clamped, steps > 0
//  Split               X                      axis (>= 0), split (sizes, one per output)
//  BatchNormalization  X, scale, B, mean, var epsilon
//  MatMul              A [...,M,K], B [...,K,N]   (both computed at run time, ranks 2..4, batch dims
//                                             broadcast; a constant B is a FullyConnected instead)
//
// Auxiliary ops (ONNX shape arithmetic and no-ops) may appear after import
// but must be gone before export: Shape, Gather, Unsqueeze, Squeeze, Flatten,
// Cast, Constant, ConstantOfShape, Identity, Dropout, Gemm, MatMul with a
// constant operand, Pow, and the ONNX forms of Clip / Pad / Slice / Split / ReduceMean / Resize whose
// parameters are inputs.
#pragma once

#include <string>

namespace bespoke::ir {

// True if `op` is in the canonical set above.
bool is_canonical_op(const std::string& op);

}  // namespace bespoke::ir
