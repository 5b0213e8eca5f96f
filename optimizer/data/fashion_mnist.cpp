#include "data/fashion_mnist.h"

#include <cstdlib>

#include "data/data_error.h"
#include "data/idx_reader.h"

namespace bespoke::data {

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

std::string fashion_mnist_dir(const std::string& dir) {
  if (!dir.empty()) return dir;
  const char* env = std::getenv("BESPOKE_FASHION_MNIST_DIR");
  if (env != nullptr && *env != '\0') return env;
  return kFashionMnistDefaultDir;
}

ImageSet load_fashion_mnist(FashionMnistPart part, const std::string& dir) {
  const std::string root = fashion_mnist_dir(dir);
  const std::string prefix = part == FashionMnistPart::kTrain ? "train" : "t10k";
  const std::string images_path = root + "/" + prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = root + "/" + prefix + "-labels-idx1-ubyte.gz";
  IdxArray images = read_idx(images_path, 3);
  IdxArray labels = read_idx(labels_path, 1);
  if (images.dims[1] != 28 || images.dims[2] != 28) {
    throw DataError("IDX file '" + images_path + "': images are " + std::to_string(images.dims[1]) + "x" +
                    std::to_string(images.dims[2]) + ", Fashion-MNIST has 28x28");
  }
  if (images.dims[0] != labels.dims[0]) {
    throw DataError("Fashion-MNIST: '" + images_path + "' holds " + std::to_string(images.dims[0]) + " images but '" +
                    labels_path + "' " + std::to_string(labels.dims[0]) + " labels");
  }
  ImageSet set;
  set.source = "fashion-mnist " + prefix + " (" + root + ")";
  set.channels = 1;
  set.height = 28;
  set.width = 28;
  set.pixels = std::move(images.data);
  set.class_names = fashion_mnist_class_names();
  set.labels.reserve(labels.data.size());
  for (size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] >= set.class_names.size()) {
      throw DataError("IDX file '" + labels_path + "': label " + std::to_string(labels.data[i]) + " of item " +
                      std::to_string(i) + " is outside 0..9");
    }
    set.labels.push_back(labels.data[i]);
  }
  return set;
}

}  // namespace bespoke::data
