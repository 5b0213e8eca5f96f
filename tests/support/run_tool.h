// Runs a command-line tool for a test, as a user's shell would, and captures
// how it ended: the one helper every CLI test uses, so that all of them
// check exit codes and the two streams the same way.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bespoke::test {

struct ToolRun {
  int exit_code = -1;  // 128 + signal number when a signal ended it
  std::string out, err;
  std::string all() const { return out + err; }
};

// `tool` is quoted; `args` is passed to the shell as written (quote paths).
// `work_dir` receives the captured streams.
inline ToolRun run_tool(const std::string& tool, const std::string& args, const std::string& work_dir) {
  std::filesystem::create_directories(work_dir);
  const std::string stem = work_dir + "/run." + std::to_string(::getpid());
  const std::string out_file = stem + ".stdout", err_file = stem + ".stderr";
  const int status = std::system(("'" + tool + "' " + args + " > '" + out_file + "' 2> '" + err_file + "'").c_str());
  const auto slurp = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  ToolRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  std::filesystem::remove(out_file);
  std::filesystem::remove(err_file);
  return r;
}

inline size_t count_lines(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace bespoke::test
