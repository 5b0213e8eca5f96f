// bespoke-opt convert: the conversion command (cli/convert_command.h).
#include "cli/convert_command.h"

namespace {

[[maybe_unused]] const bool registered = bespoke::cli::register_subcommand(bespoke::cli::convert_command());

}  // namespace
