// The commands that read a user's data (run, house build) report what is
// wrong with it as a usage error: one line naming the file and label line,
// exit 2, like a bad command line (cli/subcommand.h), before any work.
#pragma once

#include <utility>

#include "cli/subcommand.h"
#include "data/data_error.h"
#include "task/task_error.h"

namespace bespoke::cli {

template <typename Work>
auto with_input_errors(Work&& work) -> decltype(work()) {
  try {
    return std::forward<Work>(work)();
  } catch (const data::DataError& e) {
    throw UsageError(e.what());
  } catch (const task::TaskError& e) {
    throw UsageError(e.what());
  }
}

}  // namespace bespoke::cli
