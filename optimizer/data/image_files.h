// Image files decoded into the 8-bit CHW images of an ImageSet: stb_image
// decodes PNG, JPEG (and the other formats stb knows) to the requested
// channel count (gray <-> RGB as stb_image converts), then the image is fitted
// to the requested size (stb_image_resize) by one of two modes:
//  * kStretch: resized to exactly H x W, aspect ratio ignored (classifiers,
//    and PaddleOCR's detector at a fixed input size);
//  * kPadRight: PaddleOCR's recognizer preprocessing: resized to height H
//    keeping the aspect ratio, to width min(W, ceil(H * w / h)) (computed
//    exactly, at least 1; a long line is squeezed to W), then padded on the
//    right up to W with kPadRightFill.
// Channel order kBgr swaps the first and third channels after decoding (RGB
// -> BGR, RGBA -> BGRA; gray and gray+alpha are unchanged): PaddleOCR reads
// images with OpenCV, so its models were trained on BGR, and a mean / std
// given per model channel then applies to B, G, R in that order.
//
// Errors (DataError, message "image '<path>': ..."): a file that cannot be
// read or is over 256 MiB, undecodable data, a side over kMaxImageSide or more
// than 64 megapixels, a size other than the geometry when resizing is off.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/polygon.h"
#include "data/preprocess.h"

namespace bespoke::data {

enum class ResizeMode { kStretch, kPadRight };
enum class ChannelOrder { kRgb, kBgr };

const char* resize_mode_name(ResizeMode mode);       // "stretch", "pad_right"
const char* channel_order_name(ChannelOrder order);  // "rgb", "bgr"

// Largest accepted image side: a guard against a hostile or mistaken file
// (a 16384-pixel side is already far beyond any OCR or classifier input).
inline constexpr int64_t kMaxImageSide = 16384;
// What kPadRight pads with. PaddleOCR pads with 0 after normalizing
// (x / 255 - 0.5) / 0.5, i.e. with mid-gray; padding the 8-bit image with 128
// gives the same (0.004 after that normalization) while the image stays
// 8-bit and independent of the normalization chosen later.
inline constexpr uint8_t kPadRightFill = 128;

struct ImageLoadOptions {
  ImageGeometry geometry{3, 224, 224};  // what every image becomes (channels 1..4)
  // When false, an image of another size than the geometry is an error
  // instead of being fitted (either mode).
  bool resize = true;
  ResizeMode resize_mode = ResizeMode::kStretch;
  ChannelOrder channels = ChannelOrder::kRgb;
};

// Where a decoded image went: its size in the file and how a point of the
// file maps into the ImageSet's pixels.
struct ImagePlacement {
  int64_t file_width = 0;
  int64_t file_height = 0;
  int64_t content_width = 0;  // columns holding the image; the rest (kPadRight) is padding
  float scale_x = 1.0f;       // set pixel = file pixel * scale
  float scale_y = 1.0f;

  Point place(Point p) const { return {p.x * scale_x, p.y * scale_y}; }
};

// Decodes `path` and appends options.geometry.elements() bytes (CHW) to `out`.
ImagePlacement decode_image_into(const std::string& path, const ImageLoadOptions& options, std::vector<uint8_t>& out);

// Throws DataError when the geometry cannot be loaded (channels outside 1..4,
// a size that is not positive); `what` names the folder for the message.
void check_load_geometry(const ImageGeometry& geometry, const std::string& what);

// .png, .jpg, .jpeg in any case: what a folder listing takes as images.
bool is_image_file(const std::string& path);
// The image files of `dir` (and of its sub-folders, at any depth, when
// `recursive`), sorted by path. Throws DataError when the folder cannot be listed.
std::vector<std::string> list_image_files(const std::string& dir, bool recursive);

}  // namespace bespoke::data
