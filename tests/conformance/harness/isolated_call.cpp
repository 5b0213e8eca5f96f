#include "harness/isolated_call.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace bespoke::test::e2e {
namespace {

void write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

IsolatedResult run_isolated(const std::function<std::string()>& fn, unsigned timeout_seconds) {
  IsolatedResult result;
  int fds[2];
  if (::pipe(fds) != 0) {
    result.failure = std::string("pipe() failed: ") + std::strerror(errno);
    return result;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    result.failure = std::string("fork() failed: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return result;
  }
  if (pid == 0) {
    ::close(fds[0]);
    // The parent's crash handlers (doctest installs some) must not run here:
    // a crashing child just dies and the parent reports the signal.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM}) ::signal(sig, SIG_DFL);
    ::alarm(timeout_seconds);  // default SIGALRM action ends the child
    std::string out;
    try {
      out = fn();
    } catch (const std::exception& e) {
      out = std::string("exception: ") + e.what();
    } catch (...) {
      out = "exception: unknown type";
    }
    write_all(fds[1], out);
    ::close(fds[1]);
    ::_exit(0);  // no atexit handlers, no stdio flush of the parent's buffers
  }
  ::close(fds[1]);
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    result.completed = true;
  } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
    result.failure = "timed out after " + std::to_string(timeout_seconds) + " s";
  } else if (WIFSIGNALED(status)) {
    result.failure =
        "crashed with signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  } else {
    result.failure = "child exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return result;
}

}  // namespace bespoke::test::e2e
