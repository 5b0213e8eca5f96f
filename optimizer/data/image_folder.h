// An image-folder dataset split: root/<class>/<image>.png|.jpg|.jpeg (any
// case), classes sorted by folder name (label = rank), images sorted by file
// name; files that are not images are ignored. A root without class folders
// but with images directly in it (root/*.png) is a folder of unlabelled
// images: no class names, every label -1 (enough for distillation and
// agreement metrics). Images are decoded and fitted as image_files.h says;
// origins are the image paths.
#pragma once

#include <string>

#include "data/image_files.h"
#include "data/image_set.h"

namespace bespoke::data {

// The options of image_files.h (geometry, resize, resize_mode, channels).
using ImageFolderOptions = ImageLoadOptions;

// Throws DataError naming the file for an unreadable or undecodable image,
// an image of the wrong size (resize = false), a class folder without images,
// or a root that is not a directory or has neither class folders nor images.
ImageSet load_image_folder(const std::string& root, const ImageFolderOptions& options);

// The images of `root` (and of its sub-folders at any depth when
// `recursive`), sorted by path, unlabelled. Throws DataError for a folder
// without images, and as load_image_folder for an image.
ImageSet load_unlabelled_images(const std::string& root, const ImageFolderOptions& options, bool recursive);

}  // namespace bespoke::data
