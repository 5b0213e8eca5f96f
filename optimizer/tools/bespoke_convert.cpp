// bespoke-convert: the converter as a tool of its own, for users who only
// turn ONNX models into .bspk files; the same command as `bespoke-opt
// convert` (cli/convert_command.h), without LibTorch.
//
//   bespoke-convert model.onnx -o model.bspk [--input-shape x=1,3,224,224] [--verbose]
#include "cli/convert_command.h"

int main(int argc, char** argv) {
  return bespoke::cli::run_single_command(bespoke::cli::convert_command(), "bespoke-convert", argc, argv);
}
