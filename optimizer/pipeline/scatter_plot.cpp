#include "pipeline/scatter_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <stb/stb_easy_font.h>
#include <stb/stb_image_write.h>

namespace bespoke::pipeline {

namespace {

using Rgb = std::array<unsigned char, 3>;

class Canvas {
 public:
  Canvas(int w, int h) : w_(w), h_(h), pixels_(static_cast<size_t>(w * h * 3), 255) {}

  void fill(int x0, int y0, int x1, int y1, Rgb c) {
    for (int y = std::max(0, y0); y < std::min(h_, y1); ++y)
      for (int x = std::max(0, x0); x < std::min(w_, x1); ++x) {
        unsigned char* p = &pixels_[static_cast<size_t>((y * w_ + x) * 3)];
        p[0] = c[0], p[1] = c[1], p[2] = c[2];
      }
  }
  void disc(int cx, int cy, int r, Rgb c) {
    for (int y = -r; y <= r; ++y)
      for (int x = -r; x <= r; ++x)
        if (x * x + y * y <= r * r) fill(cx + x, cy + y, cx + x + 1, cy + y + 1, c);
  }
  // Text at (x, y) (top left), scaled `scale` times (stb_easy_font quads are axis-aligned).
  void text(int x, int y, const std::string& s, Rgb c, int scale = 1) {
    static char buffer[200000];
    const int quads = stb_easy_font_print(0, 0, const_cast<char*>(s.c_str()), nullptr, buffer, sizeof buffer);
    const float* v = reinterpret_cast<const float*>(buffer);
    for (int q = 0; q < quads; ++q) {
      const float* quad = v + q * 16;  // 4 vertices of x, y, z, color
      const int qx0 = static_cast<int>(quad[0]), qy0 = static_cast<int>(quad[1]);
      const int qx1 = static_cast<int>(quad[8]), qy1 = static_cast<int>(quad[9]);
      fill(x + qx0 * scale, y + qy0 * scale, x + qx1 * scale, y + qy1 * scale, c);
    }
  }
  static int text_width(const std::string& s) { return stb_easy_font_width(const_cast<char*>(s.c_str())); }

  void save(const std::string& path) const {
    if (stbi_write_png(path.c_str(), w_, h_, 3, pixels_.data(), w_ * 3) == 0)
      throw std::runtime_error(path + ": cannot write the PNG");
  }

 private:
  int w_, h_;
  std::vector<unsigned char> pixels_;
};

double nice_step(double span) {
  const double raw = span / 6.0;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10.0 * p;
}

std::string tick_text(double v, double step) {
  const int digits = std::max(0, static_cast<int>(-std::floor(std::log10(step))));
  char t[32];
  std::snprintf(t, sizeof t, "%.*f", digits, v);
  return t;
}

}  // namespace

void write_scatter_png(const Plot& plot, const std::string& path, int width, int height) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const PlotSeries& s : plot.series)
    for (const PlotPoint& p : s.points) {
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  const double xm = std::max((x1 - x0) * 0.08, 1e-6), ym = std::max((y1 - y0) * 0.08, 1e-6);
  x0 = std::max(0.0, x0 - xm), x1 += xm, y0 -= ym, y1 += ym;

  Canvas c(width, height);
  const int left = 80, right = width - 200, top = 50, bottom = height - 60;
  const Rgb black{0, 0, 0}, grey{225, 225, 225}, dark{90, 90, 90};
  auto px = [&](double x) { return left + static_cast<int>(std::lround((x - x0) / (x1 - x0) * (right - left))); };
  auto py = [&](double y) { return bottom - static_cast<int>(std::lround((y - y0) / (y1 - y0) * (bottom - top))); };

  const double xs = nice_step(x1 - x0), ys = nice_step(y1 - y0);
  for (double x = std::ceil(x0 / xs) * xs; x <= x1; x += xs) {
    c.fill(px(x), top, px(x) + 1, bottom, grey);
    const std::string t = tick_text(x, xs);
    c.text(px(x) - Canvas::text_width(t), bottom + 8, t, dark, 2);
  }
  for (double y = std::ceil(y0 / ys) * ys; y <= y1; y += ys) {
    c.fill(left, py(y), right, py(y) + 1, grey);
    const std::string t = tick_text(y, ys);
    c.text(left - 10 - 2 * Canvas::text_width(t), py(y) - 7, t, dark, 2);
  }
  c.fill(left, bottom, right, bottom + 2, black);
  c.fill(left - 2, top, left, bottom, black);
  c.text(left, 6, plot.title, black, 2);
  c.text((left + right) / 2 - Canvas::text_width(plot.x_label), height - 28, plot.x_label, black, 2);
  c.text(8, top - 22, plot.y_label, black, 2);

  int legend_y = top;
  for (const PlotSeries& s : plot.series) {
    for (const PlotPoint& p : s.points) {
      if (s.square)
        c.fill(px(p.x) - 5, py(p.y) - 5, px(p.x) + 6, py(p.y) + 6, s.color);
      else
        c.disc(px(p.x), py(p.y), 6, s.color);
      if (!p.label.empty()) c.text(px(p.x) + 9, py(p.y) - 4, p.label, dark, 1);
    }
    if (s.square)
      c.fill(right + 20, legend_y, right + 31, legend_y + 11, s.color);
    else
      c.disc(right + 25, legend_y + 5, 6, s.color);
    c.text(right + 38, legend_y - 1, s.name, black, 2);
    legend_y += 24;
  }
  c.save(path);
}

}  // namespace bespoke::pipeline
