// An image-folder dataset: root/<class>/<image>.png|.jpg|.jpeg (any case),
// classes sorted by folder name (label = rank), images sorted by file name.
// Images are decoded with stb_image to the requested channel count (gray or
// RGB conversion as stb_image does it) and resized to the requested size
// (stb_image_resize) unless they already have it.
#pragma once

#include <string>

#include "data/image_set.h"
#include "data/preprocess.h"

namespace bespoke::data {

struct ImageFolderOptions {
  ImageGeometry geometry{3, 224, 224};  // what every image becomes (channels 1, 3 or 4)
  // When false, an image of another size is an error instead of being resized.
  bool resize = true;
};

// Throws DataError naming the file for an unreadable or undecodable image,
// an image of the wrong size (resize = false), a class folder without images,
// or a root without class folders.
ImageSet load_image_folder(const std::string& root, const ImageFolderOptions& options);

}  // namespace bespoke::data
