// A small scatter plot written as PNG (stb_image_write from Debian's libstb, labels drawn with
// stb_easy_font): the pipeline's pareto.png, accuracy against measured
// latency, one colour per series. Axes fit the data with a margin; ticks
// at "nice" steps (1, 2 or 5 x 10^k). No dependency beyond stb.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace bespoke::pipeline {

struct PlotPoint {
  double x = 0.0, y = 0.0;
  std::string label;  // drawn beside the point ("" = none)
};

struct PlotSeries {
  std::string name;  // in the legend
  std::array<unsigned char, 3> color = {0, 0, 0};
  bool square = false;  // marker: square instead of a disc
  std::vector<PlotPoint> points;
};

struct Plot {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
};

// Writes a width x height RGB PNG; throws std::runtime_error naming the path.
void write_scatter_png(const Plot& plot, const std::string& path, int width = 900, int height = 600);

}  // namespace bespoke::pipeline
