// Human-readable durations and throughput for progress lines.
#pragma once

#include <string>

namespace bespoke::train {

// 75 -> "1:15", 3725 -> "1:02:05"; negative or non-finite -> "?".
std::string format_duration(double seconds);

}  // namespace bespoke::train
