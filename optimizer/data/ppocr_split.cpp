#include "data/ppocr_split.h"

#include <algorithm>
#include <filesystem>

#include "data/data_error.h"
#include "data/image_folder.h"
#include "data/ppocr_labels.h"

namespace bespoke::data {

namespace fs = std::filesystem;

namespace {

std::string point_text(Point p) { return "(" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")"; }

// The regions of one image in the set's pixels, after checking them against
// the image's size in the file.
void place_regions(const std::vector<TextRegion>& regions, const ImagePlacement& placement, const std::string& image,
                   const std::string& where, const ImageSet& set, std::vector<Polygon>& polygons,
                   std::vector<bool>& ignored) {
  const auto w = static_cast<float>(placement.file_width), h = static_cast<float>(placement.file_height);
  for (size_t r = 0; r < regions.size(); ++r) {
    Polygon polygon;
    polygon.reserve(regions[r].polygon.size());
    for (size_t k = 0; k < regions[r].polygon.size(); ++k) {
      const Point p = regions[r].polygon[k];
      if (p.x < -kRegionTolerance || p.x > w + kRegionTolerance || p.y < -kRegionTolerance ||
          p.y > h + kRegionTolerance) {
        throw DataError(where + "region " + std::to_string(r + 1) + " point " + std::to_string(k + 1) + " " +
                        point_text(p) + " is outside the " + std::to_string(placement.file_width) + "x" +
                        std::to_string(placement.file_height) + " image '" + image + "'");
      }
      const Point q = placement.place(p);
      polygon.push_back({std::clamp(q.x, 0.0f, static_cast<float>(set.width)),
                         std::clamp(q.y, 0.0f, static_cast<float>(set.height))});
    }
    polygons.push_back(std::move(polygon));
    ignored.push_back(regions[r].ignored);
  }
}

// A hint for the commonest layout mistake: paths written relative to the
// dataset root (PaddleOCR's data_dir) instead of the label file's folder.
std::string missing_hint(const fs::path& dir, const std::string& relative) {
  std::error_code error;
  const fs::path parent = (dir / "..").lexically_normal();
  if (fs::exists(parent / relative, error)) {
    return " (it exists relative to '" + parent.string() + "': paths here are relative to the label file's folder)";
  }
  return "";
}

}  // namespace

ImageSet load_ppocr_split(const std::string& dir, LabelKind kind, const std::string& labels_file,
                          const ImageLoadOptions& options) {
  check_load_geometry(options.geometry, "folder '" + dir + "'");
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw DataError("folder '" + dir + "': not a directory");
  const fs::path label_path = fs::path(dir) / labels_file;
  if (!fs::exists(label_path, error)) return load_unlabelled_images(dir, options, true);

  const LabelFile file = read_label_file(label_path.string(), kind);
  ImageSet set;
  set.source = "label file " + file.path;
  set.channels = options.geometry.channels;
  set.height = options.geometry.height;
  set.width = options.geometry.width;
  set.pixels.reserve(file.lines.size() * static_cast<size_t>(options.geometry.elements()));
  for (const LabelLine& line : file.lines) {
    const std::string where = file.where(line.line);
    const fs::path image = fs::path(dir) / line.image;
    if (!fs::exists(image, error)) {
      throw DataError(where + "image '" + image.string() + "' does not exist" + missing_hint(dir, line.image));
    }
    if (!fs::is_regular_file(image, error)) throw DataError(where + "image '" + image.string() + "' is not a file");
    ImagePlacement placement;
    try {
      placement = decode_image_into(image.string(), options, set.pixels);
    } catch (const DataError& e) {
      throw DataError(where + e.what());
    }
    set.labels.push_back(-1);
    set.origins.push_back(file.path + ":" + std::to_string(line.line));
    if (kind == LabelKind::kText) {
      set.transcripts.push_back(line.transcript);
    } else {
      set.regions.emplace_back();
      set.ignored.emplace_back();
      place_regions(line.regions, placement, image.string(), where, set, set.regions.back(), set.ignored.back());
    }
  }
  return set;
}

}  // namespace bespoke::data
