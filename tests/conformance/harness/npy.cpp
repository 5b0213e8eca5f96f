#include "harness/npy.h"

#include <stdexcept>

#include "tensor_io/tensor_file.h"

namespace bespoke::test::e2e {
namespace {

void require_npy(const std::string& path) {
  if (path.size() < 4 || path.compare(path.size() - 4, 4, ".npy") != 0)
    throw std::runtime_error("npy file '" + path + "': the name does not end in .npy");
}

}  // namespace

FloatTensor read_npy(const std::string& path) {
  require_npy(path);
  tools::HostTensor t;
  const rt::Status s = tools::read_tensor_file(path, &t);
  if (!s.ok()) throw std::runtime_error("npy file " + s.message());
  return FloatTensor{std::move(t.dims), std::move(t.data)};
}

void write_npy(const std::string& path, const FloatTensor& tensor) {
  require_npy(path);
  tools::HostTensor t;
  t.dims = tensor.shape;
  t.data = tensor.values;
  const rt::Status s = tools::write_tensor_file(path, t);
  if (!s.ok()) throw std::runtime_error("npy file " + s.message());
}

}  // namespace bespoke::test::e2e
