// Running amendsd and amends as real processes in tests: start, read output, signal, wait.
#ifndef AMENDS_TESTS_PROCESS_H_
#define AMENDS_TESTS_PROCESS_H_

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace amends {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// A child process with its stdout and stderr on pipes.
class ChildProcess {
 public:
  // `env` entries are added to (or replace in) this process's environment.
  explicit ChildProcess(const std::vector<std::string>& argv,
                        const std::map<std::string, std::string>& env = {}) {
    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0) return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, err[0]);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
      std::string s = *e;
      if (!env.count(s.substr(0, s.find('=')))) env_strings.push_back(s);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    out_ = fdopen(out[0], "r");
    err_fd_ = err[0];
  }
  ~ChildProcess() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (out_) fclose(out_);
    if (err_) {
      fclose(err_);  // closes err_fd_
    } else if (err_fd_ >= 0) {
      close(err_fd_);
    }
  }

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // The next line of stdout without its newline; false at end of output.
  bool ReadLine(std::string* line) {
    line->clear();
    int c;
    while ((c = fgetc(out_)) != EOF && c != '\n') line->push_back(static_cast<char>(c));
    return c != EOF || !line->empty();
  }

  // ReadLine, giving up after `timeout`: the child is then killed (so that the read ends)
  // and false returned. For a test that waits for output that may never come.
  bool ReadLineWithin(std::string* line, std::chrono::milliseconds timeout) {
    return KillAfter(timeout, [&] { return ReadLine(line); });
  }

  // The next line of stderr, likewise. Once it is used, Wait() collects the rest of stderr
  // after the lines read.
  bool ReadErrLineWithin(std::string* line, std::chrono::milliseconds timeout) {
    if (err_ == nullptr && err_fd_ >= 0) err_ = fdopen(err_fd_, "r");
    if (err_ == nullptr) return false;
    return KillAfter(timeout, [&] {
      line->clear();
      int c;
      while ((c = fgetc(err_)) != EOF && c != '\n') line->push_back(static_cast<char>(c));
      return c != EOF || !line->empty();
    });
  }

  void Signal(int sig) { kill(pid_, sig); }

  // Waits for exit; collects what is left of stdout and stderr.
  RunResult Wait() {
    RunResult r;
    char buf[4096];
    size_t n;
    while (out_ && (n = fread(buf, 1, sizeof buf, out_)) > 0) r.out.append(buf, n);
    if (err_) {
      while ((n = fread(buf, 1, sizeof buf, err_)) > 0) r.err.append(buf, n);
    } else {
      ssize_t m;
      while (err_fd_ >= 0 && (m = read(err_fd_, buf, sizeof buf)) > 0) r.err.append(buf, m);
    }
    waited_ = true;
    if (pid_ <= 0) {  // it never ran: as a shell says of a command it cannot find
      r.exit_code = 127;
      r.err += "the command could not be started\n";
      return r;
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
  }

 private:
  // read() unless `timeout` passes first; then kills the child and returns false.
  template <typename Read>
  bool KillAfter(std::chrono::milliseconds timeout, Read read) {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false, timed_out = false;
    std::thread timer([&] {
      std::unique_lock<std::mutex> lock(mu);
      if (!cv.wait_for(lock, timeout, [&] { return done; })) {
        timed_out = true;
        kill(pid_, SIGKILL);
      }
    });
    const bool ok = read();
    {
      std::lock_guard<std::mutex> lock(mu);
      done = true;
    }
    cv.notify_all();
    timer.join();
    return ok && !timed_out;
  }

  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  int err_fd_ = -1;
  FILE* err_ = nullptr;  // over err_fd_, once ReadErrLineWithin is used
  bool waited_ = false;
};

inline RunResult RunCommand(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env = {}) {
  return ChildProcess(argv, env).Wait();
}

// Starts amendsd on a free loopback port; sets *address to where it listens, and appends what
// it said up to then (one "\n"-ended line each) to *said if given.
inline bool StartServer(ChildProcess& server, std::string* address, std::string* said = nullptr) {
  std::string line;
  while (server.ReadLine(&line)) {
    if (said != nullptr) *said += line + "\n";
    const std::string prefix = "amendsd listening on ";
    if (line.rfind(prefix, 0) == 0) {
      *address = line.substr(prefix.size());
      return true;
    }
  }
  return false;
}

}  // namespace amends

#endif  // AMENDS_TESTS_PROCESS_H_
