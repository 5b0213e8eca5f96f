#include "arch/resnet.h"

#include <stdexcept>

#include "arch/graph_builder.h"

namespace bespoke::arch {

namespace {

// Conv+BN+ReLU, Conv+BN, shortcut (identity, or 1x1 Conv+BN when the shape
// changes), Add, ReLU. The second BN starts at zero so that every block is
// the identity at initialization (easier optimization of the sum).
int basic_block(GraphBuilder& b, int x, int64_t in_c, int64_t out_c, int64_t stride, const std::string& name) {
  int y = b.conv(x, in_c, out_c, 3, stride, name + ".conv1");
  y = b.batch_norm(y, out_c, name + ".bn1");
  y = b.relu(y, name + ".relu1");
  y = b.conv(y, out_c, out_c, 3, 1, name + ".conv2");
  y = b.batch_norm(y, out_c, name + ".bn2", /*zero_scale=*/true);
  int shortcut = x;
  if (stride != 1 || in_c != out_c) {
    shortcut = b.conv(x, in_c, out_c, 1, stride, name + ".shortcut.conv");
    shortcut = b.batch_norm(shortcut, out_c, name + ".shortcut.bn");
  }
  y = b.add(y, shortcut, name + ".add");
  return b.relu(y, name + ".relu2");
}

}  // namespace

ir::Graph make_resnet(const std::string& graph_name, const ResNetSpec& spec, const ArchitectureOptions& options) {
  const ir::Shape& shape = options.input_shape;
  if (shape.size() != 4 || shape[0] < 1 || shape[1] < 1 || shape[2] < 4 || shape[3] < 4) {
    throw std::invalid_argument("architecture '" + graph_name + "': input shape " + ir::shape_string(shape) +
                                " is not an image batch [N, C, H>=4, W>=4]");
  }
  if (options.num_classes < 1)
    throw std::invalid_argument("architecture '" + graph_name + "': needs at least one class");
  if (spec.blocks_per_stage < 1 || spec.width < 1 || spec.stem_stride < 1) {
    throw std::invalid_argument("architecture '" + graph_name + "': blocks, width and stride must be positive");
  }
  GraphBuilder b(graph_name, options.seed);
  int x = b.input("input", shape);
  x = b.conv(x, shape[1], spec.width, 3, spec.stem_stride, "stem.conv");
  x = b.batch_norm(x, spec.width, "stem.bn");
  x = b.relu(x, "stem.relu");
  int64_t channels = spec.width;
  for (int stage = 0; stage < 3; ++stage) {
    const int64_t out_c = spec.width << stage;
    for (int64_t block = 0; block < spec.blocks_per_stage; ++block) {
      const int64_t stride = stage > 0 && block == 0 ? 2 : 1;
      const std::string name = "stage" + std::to_string(stage + 1) + ".block" + std::to_string(block);
      x = basic_block(b, x, channels, out_c, stride, name);
      channels = out_c;
    }
  }
  x = b.global_average_pool(x, "pool");
  x = b.flatten(x, shape[0], channels, "flatten");
  x = b.fully_connected(x, channels, options.num_classes, "logits");
  b.output(x);
  return b.finish();
}

}  // namespace bespoke::arch
