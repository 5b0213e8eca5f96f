// One split folder of a text task (recognition or detection) laid out as
// PaddleOCR users have it: the folder holds a label file (ppocr_labels.h)
// whose image paths are relative to the folder. Without a label file, every
// image under the folder (sub-folders included, sorted by path) is loaded
// unlabelled.
//
// Everything is read and checked before the set is returned: the label file
// first, then every image it lists, decoded and fitted as image_files.h says.
// Beyond the label file's own errors, a DataError starting with
// "<label file>:<line>: " names a missing image, one that is not a regular
// file, cannot be read or decoded or is too large, and for detection a
// polygon point outside its image (beyond [0, w] x [0, h] of the file's image
// by more than kRegionTolerance pixels). Polygons are then scaled like the
// image and clamped to the set's image.
#pragma once

#include <string>

#include "data/image_files.h"
#include "data/image_set.h"
#include "data/label_kind.h"

namespace bespoke::data {

// How far (pixels of the original image) a labelled point may lie outside it:
// annotation tools round corners outwards.
inline constexpr float kRegionTolerance = 1.0f;

// `kind` is kText or kBoxes; `labels_file` is the label file's name in `dir`.
// The set has no class names and every label is -1; with a label file it has
// transcripts (kText) or regions and ignored (kBoxes); origins always.
ImageSet load_ppocr_split(const std::string& dir, LabelKind kind, const std::string& labels_file,
                          const ImageLoadOptions& options);

}  // namespace bespoke::data
