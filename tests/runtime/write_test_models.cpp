// Writes the files of the CTest tool tests into a folder:
//   runtime_write_test_models <dir>  ->  small_cnn.bspk, x.npy and x.pb (its input),
//   y_expected.npy (its output for x) and y_random_expected.npy (for
//   `bespoke-run --random --seed 7`), both from the backend-independent
//   naive_small_cnn, garbage.bspk (not a model) and truncated.bspk (half a model).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/tool_support.h"
#include "runtime/small_cnn_reference.h"
#include "runtime/test_models.h"
#include "tensor_io/tensor_file.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: runtime_write_test_models <dir>\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  const auto write = [&](const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream out(dir + "/" + name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
  };
  const auto model = bespoke::test::small_cnn_model(1);
  if (!write("small_cnn.bspk", model)) return 1;
  if (!write("garbage.bspk", std::vector<uint8_t>(4096, 0x5a))) return 1;
  if (!write("truncated.bspk", std::vector<uint8_t>(model.begin(), model.begin() + model.size() / 2))) return 1;
  const bespoke::tools::HostTensor x{"x", {1, 3, 8, 8}, bespoke::test::seeded_values(192, 5, 1.0f)};
  for (const char* name : {"x.npy", "x.pb"}) {
    if (!bespoke::tools::write_tensor_file(dir + "/" + name, x).ok()) return 1;
  }
  const bespoke::tools::HostTensor y{"probs", {1, 3}, bespoke::test::naive_small_cnn(x.data, 1)};
  if (!bespoke::tools::write_tensor_file(dir + "/y_expected.npy", y).ok()) return 1;
  // The input bespoke-run makes for --random --seed 7, by the tools' own function.
  const bespoke::TensorInfo info{"x", BSP_FLOAT32, {1, 3, 8, 8}, 768};
  const bespoke::tools::HostTensor random = bespoke::tools::random_input(info, 7);
  const bespoke::tools::HostTensor y_random{"probs", {1, 3}, bespoke::test::naive_small_cnn(random.data, 1)};
  if (!bespoke::tools::write_tensor_file(dir + "/y_random_expected.npy", y_random).ok()) return 1;
  return 0;
}
