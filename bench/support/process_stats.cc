#include "bench/support/process_stats.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace amends::bench {

int64_t StatusField(pid_t pid, absl::string_view field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  const std::string prefix = absl::StrCat(field, ":");
  for (std::string line; std::getline(status, line);) {
    if (absl::StartsWith(line, prefix)) {
      return std::strtoll(line.c_str() + prefix.size(), nullptr, 10);
    }
  }
  return -1;
}

// glibc's malloc arenas are 64 MiB mappings, so an exact 8 MiB size singles out the stacks
// (the default ulimit -s).
int64_t StackResidentKb(pid_t pid) {
  std::ifstream smaps(absl::StrCat("/proc/", pid, "/smaps"));
  int64_t total = 0;
  bool stack = false;
  for (std::string line; std::getline(smaps, line);) {
    long long kb = 0;
    if (std::sscanf(line.c_str(), "Size: %lld kB", &kb) == 1) {
      stack = kb == 8192;
    } else if (stack && std::sscanf(line.c_str(), "Rss: %lld kB", &kb) == 1) {
      total += kb;
    }
  }
  return total;
}

double CpuSeconds(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the
  // last ')'. From there: state (3) ... utime (14), stime (15).
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  long long utime = 0, stime = 0;
  if (std::sscanf(text.c_str() + paren + 1,
                  " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime,
                  &stime) != 2) {
    return 0;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double MachineBusySeconds() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq;
  return static_cast<double>(user + nice + system + irq + softirq) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

int64_t DatabaseBytes(const std::string& path) {
  int64_t total = 0;
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    std::error_code error;
    const uintmax_t size = std::filesystem::file_size(file, error);
    if (!error) total += static_cast<int64_t>(size);
  }
  return total;
}

}  // namespace amends::bench
