// Runs a function in a forked child process so that a crash, an abort or a
// hang in the code under test becomes a reported result for that one case
// instead of ending the whole suite. The child sends the function's string
// result back over a pipe.
//
// Call it only from a process that has not started threads or OpenMP/thread
// pools (those do not survive fork); the suites keep all model work in the
// children for that reason.
#pragma once

#include <functional>
#include <string>

namespace bespoke::test::e2e {

struct IsolatedResult {
  bool completed = false;  // the function returned (or threw) normally
  std::string output;      // its result (or "exception: <what>")
  std::string failure;     // when !completed: "crashed with signal 11 (Segmentation fault)", "timed out after 30 s"
};

IsolatedResult run_isolated(const std::function<std::string()>& fn, unsigned timeout_seconds);

}  // namespace bespoke::test::e2e
