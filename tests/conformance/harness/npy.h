// .npy files for the end-to-end suites, as FloatTensor: a thin adapter over
// the runtime tools' codec (runtime/tools/tensor_io/npy.h), the project's one
// .npy reader and writer (float32, little-endian, C order; anything else is
// rejected by it with what was found). Errors throw std::runtime_error
// naming the file and the problem.
#pragma once

#include <string>

#include "harness/float_tensor.h"

namespace bespoke::test::e2e {

FloatTensor read_npy(const std::string& path);
void write_npy(const std::string& path, const FloatTensor& tensor);

}  // namespace bespoke::test::e2e
