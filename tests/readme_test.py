#!/usr/bin/python3
"""Runs README.md's walk-throughs against a live amendsd and compares what they print.

  readme_test.py --readme README.md --bin BUILD/bin

A walk-through is a fenced block opened by "```console"; "```console continued" goes on in
the server of the block before, any other starts a new `amendsd --demo` on a new database in
a new directory (its working directory: ./var/amends.db is that database). Each "$ COMMAND"
line, with its "\\" continuation lines, runs in one bash per block, so variables carry over,
with PATH starting at BIN, AMENDS_SERVER set, no language chosen (English unless the block
chooses one), and AMENDS_TOKEN, SATO, TANAKA and SUZUKI set to the demo users' tokens
(AMENDS_TOKEN is sato's). The lines after a command, up to the next
one, are what it must print, stdout and stderr together, compared after
  - date-times ("2026-11-25 10:19", with or without a weekday such as "(Wed)"; in Japanese
    "2026/11/25(水) 10:19") and relative hints ("(in 2h)", "(just now)", "(3d ago)"; "(2時間後)",
    "(たった今)", "3日前") become placeholders: they depend on the hour;
  - runs of spaces become one space: columns widen and narrow with those;
  - an expected line "..." stands for any number of lines;
  - "amends: warning: ... is not a working day ..." lines (注意 in Japanese) are left out of
    both: whether
    "+7d 18:00" falls on a holiday depends on the day the test runs.
Exits 0 when every command printed what the README says; otherwise prints each difference.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?: \([A-Z][a-z]{2}\))? \d{2}:\d{2}(?: JST)?"
                  r"|\d{4}/\d{2}/\d{2}(?:\((?:月|火|水|木|金|土|日)\))? \d{2}:\d{2}")
HINT = re.compile(r"\((?:just now|in \d+[mhd]|\d+[mhd] ago|in \d+[mhd]\d+[mhd]|now"
                  r"|たった今|(?:\d+(?:分|時間|日)){1,2}(?:後|前|超過))\)")
# A Japanese hint without parentheses, as the list's NEXT DUE column prints it ("12時間後").
BARE_HINT = re.compile(r"\b(?:\d+(?:分|時間|日)){1,2}(?:後|前|超過)")
DAY_OFF = re.compile(r"^amends: (?:warning|注意): .* not a working day")
TOKEN = re.compile(r"^\s+(\w+) \((\w+)\): (\S+)$")


def normalise(line):
    line = TIME.sub("<time>", line)
    line = HINT.sub("<hint>", line)
    line = BARE_HINT.sub("<hint>", line)
    return " ".join(line.split())


def blocks(readme):
    """[(continued, [(command, [expected lines], line number)])] of the console blocks."""
    out = []
    lines = open(readme, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        fence = lines[i].strip()
        if not fence.startswith("```console"):
            i += 1
            continue
        continued = fence == "```console continued"
        steps = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if lines[i].startswith("$ "):
                number = i + 1
                command = lines[i][2:]
                while command.endswith("\\"):
                    i += 1
                    command = command[:-1] + " " + lines[i].strip()
                steps.append((command, [], number))
            elif steps:
                steps[-1][1].append(lines[i])
            i += 1
        out.append((continued, steps))
        i += 1
    return out


def matches(expected, actual):
    """Whether the actual lines match the expected ones, "..." matching any lines."""
    def kept(lines):
        return [normalise(l) for l in lines if not DAY_OFF.match(l)]
    expected, actual = kept(expected), kept(actual)

    def at(e, a):
        if e == len(expected):
            return a == len(actual)
        if expected[e] == "...":
            return any(at(e + 1, k) for k in range(a, len(actual) + 1))
        return a < len(actual) and expected[e] == actual[a] and at(e + 1, a + 1)

    return at(0, 0)


class Server:
    def __init__(self, bin_dir):
        self.dir = tempfile.mkdtemp(prefix="readme-")
        os.mkdir(os.path.join(self.dir, "var"))
        self.process = subprocess.Popen(
            [os.path.join(bin_dir, "amendsd"), "--db", "var/amends.db", "--listen",
             "127.0.0.1:0", "--demo"],
            cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.tokens = {}
        self.address = None
        for line in self.process.stdout:
            token = TOKEN.match(line)
            if token:
                self.tokens[token.group(1)] = token.group(3)
            if line.startswith("amendsd listening on "):
                self.address = line.split()[-1]
                break
        if self.address is None or "sato" not in self.tokens:
            sys.exit("readme_test: amendsd --demo did not start as expected")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def run(steps, server, bin_dir):
    """What each step printed, by running the block's commands in one bash."""
    script = []
    for n, (command, _, _) in enumerate(steps):
        script.append("{ %s\n} 2>&1; __status=$?; echo '@@step %d'; (exit $__status)" % (command, n))
    env = dict(os.environ)
    env.update(PATH=bin_dir + os.pathsep + env.get("PATH", ""), AMENDS_SERVER=server.address,
               AMENDS_TOKEN=server.tokens["sato"],
               **{name.upper(): token for name, token in server.tokens.items()})
    for name in ("AMENDS_TOKEN_FILE", "AMENDS_CA", "AMENDS_TLS", "COLUMNS", "AMENDS_LANG",
                 "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(name, None)
    result = subprocess.run(["/bin/bash", "-c", "\n".join(script)], cwd=server.dir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=300)
    printed, current = [[] for _ in steps], []
    for line in result.stdout.split("\n"):
        step = re.fullmatch(r"@@step (\d+)", line)
        if step:
            printed[int(step.group(1))] = current
            current = []
        else:
            current.append(line)
    return printed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--readme", required=True)
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()
    bin_dir = os.path.abspath(args.bin)
    failures, commands, server = 0, 0, None
    for continued, steps in blocks(args.readme):
        if server is None or not continued:
            if server is not None:
                server.stop()
            server = Server(bin_dir)
        printed = run(steps, server, bin_dir)
        for (command, expected, number), actual in zip(steps, printed):
            commands += 1
            while expected and not expected[-1].strip():
                expected.pop()
            while actual and not actual[-1].strip():
                actual.pop()
            if not matches(expected, actual):
                failures += 1
                print("README.md:%d: $ %s\n  README says:\n%s\n  it printed:\n%s\n" % (
                    number, command, "\n".join("    " + e for e in expected),
                    "\n".join("    " + a for a in actual)))
    if server is not None:
        server.stop()
    if commands == 0:
        sys.exit("readme_test: README.md has no ```console walk-through")
    print("%d README command(s) run, %d differ" % (commands, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
