#include "data/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/data_error.h"

namespace bespoke::data {

namespace {

constexpr float kLuma[3] = {0.299f, 0.587f, 0.114f};

std::vector<float> per_channel(const std::vector<float>& values, int64_t channels, const char* what) {
  if (values.size() == 1) return std::vector<float>(static_cast<size_t>(channels), values[0]);
  if (static_cast<int64_t>(values.size()) == channels) return values;
  throw DataError(std::string("normalization ") + what + " has " + std::to_string(values.size()) +
                  " values; give one, or one per model channel (" + std::to_string(channels) + ")");
}

// Bilinear taps along one axis (half-pixel centers): source index pairs and weights.
void linear_taps(int64_t out_size, int64_t in_size, int64_t i, int64_t& lo, int64_t& hi, float& w_hi) {
  const double scale = static_cast<double>(in_size) / static_cast<double>(out_size);
  double x = (static_cast<double>(i) + 0.5) * scale - 0.5;
  x = std::clamp(x, 0.0, static_cast<double>(in_size - 1));
  lo = static_cast<int64_t>(std::floor(x));
  hi = std::min(lo + 1, in_size - 1);
  w_hi = static_cast<float>(x - static_cast<double>(lo));
}

}  // namespace

std::string ImageGeometry::str() const {
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

ImageGeometry Preprocessor::geometry_of_input(const std::vector<int64_t>& shape) {
  if (shape.size() != 4 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
    throw DataError("the model input must be an image batch [N, C, H, W], not [" + text + "]");
  }
  return {shape[1], shape[2], shape[3]};
}

Preprocessor::Preprocessor(const ImageGeometry& source, const ImageGeometry& target, const Normalization& normalization)
    : source_(source), target_(target) {
  if (source.elements() <= 0 || target.elements() <= 0 || source.channels <= 0 || target.channels <= 0) {
    throw DataError("preprocessing " + source.str() + " -> " + target.str() + ": sizes must be positive");
  }
  const bool channels_ok =
      source.channels == target.channels || source.channels == 1 || (source.channels == 3 && target.channels == 1);
  if (!channels_ok) {
    throw DataError("preprocessing: cannot map " + std::to_string(source.channels) +
                    " image channels to a model with " + std::to_string(target.channels));
  }
  const std::vector<float> mean = per_channel(normalization.mean, target.channels, "mean");
  const std::vector<float> stddev = per_channel(normalization.std, target.channels, "std");
  for (int64_t c = 0; c < target.channels; ++c) {
    const float s = stddev[static_cast<size_t>(c)];
    if (!(s > 0.0f) || !std::isfinite(s))
      throw DataError("normalization std must be positive, got " + std::to_string(s));
    scale_.push_back(1.0f / (255.0f * s));
    shift_.push_back(-mean[static_cast<size_t>(c)] / s);
    background_.push_back(shift_.back());
  }

  const bool pad = target.height >= source.height && target.width >= source.width &&
                   (target.height - source.height) * 4 <= source.height &&
                   (target.width - source.width) * 4 <= source.width;
  resized_ = !pad;
  const int64_t top = (target.height - source.height) / 2;
  const int64_t left = (target.width - source.width) / 2;
  tap_begin_.reserve(static_cast<size_t>(target.height * target.width + 1));
  for (int64_t y = 0; y < target.height; ++y) {
    for (int64_t x = 0; x < target.width; ++x) {
      tap_begin_.push_back(static_cast<int32_t>(taps_.size()));
      if (pad) {
        const int64_t sy = y - top, sx = x - left;
        if (sy >= 0 && sy < source.height && sx >= 0 && sx < source.width) {
          taps_.push_back({static_cast<int32_t>(sy * source.width + sx), 1.0f});
        }
        continue;
      }
      int64_t y0, y1, x0, x1;
      float wy, wx;
      linear_taps(target.height, source.height, y, y0, y1, wy);
      linear_taps(target.width, source.width, x, x0, x1, wx);
      taps_.push_back({static_cast<int32_t>(y0 * source.width + x0), (1 - wy) * (1 - wx)});
      taps_.push_back({static_cast<int32_t>(y0 * source.width + x1), (1 - wy) * wx});
      taps_.push_back({static_cast<int32_t>(y1 * source.width + x0), wy * (1 - wx)});
      taps_.push_back({static_cast<int32_t>(y1 * source.width + x1), wy * wx});
    }
  }
  tap_begin_.push_back(static_cast<int32_t>(taps_.size()));
}

void Preprocessor::operator()(const uint8_t* image, float* out) const {
  const int64_t plane = source_.height * source_.width;
  const int64_t pixels = target_.height * target_.width;
  for (int64_t c = 0; c < target_.channels; ++c) {
    // Which source channels feed target channel c, with which weights.
    const uint8_t* planes[3];
    float weights[3];
    int count = 0;
    if (source_.channels == target_.channels) {
      planes[count] = image + c * plane, weights[count++] = 1.0f;
    } else if (source_.channels == 1) {
      planes[count] = image, weights[count++] = 1.0f;
    } else {
      for (int k = 0; k < 3; ++k) planes[count] = image + k * plane, weights[count++] = kLuma[k];
    }
    const float scale = scale_[static_cast<size_t>(c)], shift = shift_[static_cast<size_t>(c)];
    float* dst = out + c * pixels;
    for (int64_t p = 0; p < pixels; ++p) {
      float value = 0.0f;
      for (int32_t t = tap_begin_[static_cast<size_t>(p)]; t < tap_begin_[static_cast<size_t>(p) + 1]; ++t) {
        const Tap& tap = taps_[static_cast<size_t>(t)];
        float pixel = 0.0f;
        for (int k = 0; k < count; ++k) pixel += weights[k] * static_cast<float>(planes[k][tap.offset]);
        value += tap.weight * pixel;
      }
      dst[p] = value * scale + shift;
    }
  }
}

std::string Preprocessor::describe() const {
  std::string text = source_.str() + " -> ";
  if (source_.height == target_.height && source_.width == target_.width) {
    text += "same size";
  } else {
    text += resized_ ? "resize" : "pad";
  }
  text += " " + target_.str();
  char buf[96];
  std::snprintf(buf, sizeof buf, ", normalize mean %.4g std %.4g",
                static_cast<double>(-shift_[0] / (scale_[0] * 255.0f)),
                static_cast<double>(1.0f / (scale_[0] * 255.0f)));
  return text + buf + (target_.channels > 1 ? " (channel 0)" : "");
}

}  // namespace bespoke::data
