// What /proc says about a process and the machine, for the benchmarks' memory and CPU figures.
// Linux only. Thread-safety: all functions may be called from any thread.
#ifndef AMENDS_BENCH_SUPPORT_PROCESS_STATS_H_
#define AMENDS_BENCH_SUPPORT_PROCESS_STATS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace amends::bench {

// A field of /proc/PID/status in its unit (kB for VmRSS and VmHWM, a count for Threads);
// -1 if the process or the field is missing.
int64_t StatusField(pid_t pid, absl::string_view field);

// The resident kB of a process's thread stacks: anonymous mappings of exactly the default
// stack size (8 MiB) in /proc/PID/smaps.
int64_t StackResidentKb(pid_t pid);

// CPU seconds a process used so far (user + system), from /proc/PID/stat.
double CpuSeconds(pid_t pid);

// CPU seconds every process on the machine used so far (all but idle and iowait), /proc/stat.
double MachineBusySeconds();

// Bytes of a file, plus its -wal and -shm siblings when they exist (a SQLite database).
int64_t DatabaseBytes(const std::string& path);

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_PROCESS_STATS_H_
