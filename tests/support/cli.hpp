// The one way tests run the built `entente` binary (ENTENTE_BINARY): to completion with its output
// captured (run_cli), or in the background with its standard error readable line by line, to
// signal it at a chosen moment (Child).
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

extern "C" char** environ;

namespace entente::test {

struct CliRun {
  int status = -1;  // the exit code; -1 when the process did not exit normally
  std::string out;
};

// Which streams run_cli captures.
enum class Streams { both, stdout_only };

// `entente ARGS` through the shell (ARGS may quote and redirect); waits for it to end.
inline CliRun run_cli(const std::string& args, Streams streams = Streams::both) {
  const std::string cmd =
      std::string(ENTENTE_BINARY) + " " + args + (streams == Streams::both ? " 2>&1" : " 2>/dev/null");
  CliRun r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// run_cli with the address space limited to `kib` KiB (ulimit -v): allocations beyond it fail.
inline CliRun run_cli_limited(const std::string& args, long kib, Streams streams = Streams::both) {
  const std::string cmd = "ulimit -v " + std::to_string(kib) + "; exec " + std::string(ENTENTE_BINARY) + " " + args +
                          (streams == Streams::both ? " 2>&1" : " 2>/dev/null");
  CliRun r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// `entente ARGS...` started without a shell, environment extended by `env` ("NAME=VALUE"),
// standard output to `out_file` (or /dev/null), standard error readable through wait_for().
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::vector<std::string>& env = {}, const std::string& out_file = "") {
    // Everything the child needs is built before fork (the test process may have threads).
    std::vector<std::string> strings = env;
    for (char** e = environ; *e; ++e) strings.emplace_back(*e);  // the first of a name wins in getenv
    std::vector<char*> envp;
    for (auto& e : strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<char*> argv{const_cast<char*>(ENTENTE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const std::string out_path = out_file.empty() ? "/dev/null" : out_file;
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      ::close(fds[1]);
      const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out >= 0) ::dup2(out, 1);
      ::execve(ENTENTE_BINARY, argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    err_fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (err_fd_ >= 0) ::close(err_fd_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  [[nodiscard]] bool started() const { return pid_ > 0 && err_fd_ >= 0; }
  // Reads standard error until it contains `text` (true) or `seconds` pass or it closes (false).
  bool wait_for(const std::string& text, double seconds = 30) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (err_.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
      if (left <= 0 || !read_some(static_cast<int>(left))) return err_.find(text) != std::string::npos;
    }
    return true;
  }
  void signal(int sig) const { ::kill(pid_, sig); }
  // Waits for the end; the raw wait status (WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG).
  int wait() {
    while (read_some(-1)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }
  [[nodiscard]] const std::string& err() const { return err_; }

 private:
  bool read_some(int timeout_ms) {
    pollfd p{err_fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    std::array<char, 4096> buf{};
    const ssize_t n = ::read(err_fd_, buf.data(), buf.size());
    if (n <= 0) return false;
    err_.append(buf.data(), static_cast<std::size_t>(n));
    return true;
  }
  pid_t pid_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  std::string err_;
};

}  // namespace entente::test
