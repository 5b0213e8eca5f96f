// Nearest-neighbour RESIZE by whole factors. XNNPACK has no nearest resize,
// but when every output pixel (y, x) reads input pixel (y / kh, x / kw) for
// integers kh, kw (e.g. the x2 nearest upsampling of FPN / DB heads), the
// resize is pure repetition, which strided copies reproduce bit for bit.
#pragma once

#include <memory>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

// True when the nearest RESIZE of `op` repeats pixels by whole factors.
bool nearest_repeat_supported(const OperatorRef& op);
Status create_nearest_repeat_kernel(const OperatorRef& op, const ExecutionContext& exec,
                                    std::unique_ptr<Kernel>* kernel);

}  // namespace bespoke::rt::xnnpack
