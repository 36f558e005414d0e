#!/usr/bin/python3
"""The Japanese catalog is complete and keeps every placeholder.

usage: i18n_catalog_test.py SOURCE_DIR

Extracts every Tr("...") and TrIn("context", "...") of SOURCE_DIR/client with xgettext, then
fails (exit 1, naming each message) when client/po/ja.po lacks one or leaves it untranslated
or fuzzy, when a translation's placeholders ($0, $1, ...; absl::Substitute's) differ from its
English (a lost $0 drops what it stood for, an extra one makes Substitute fail), or when it
keeps a message the code no longer has. It first runs both checks on
a catalog made wrong on purpose, so that a check that can no longer fail fails the test.
"""
import glob
import os
import re
import subprocess
import sys


def parse_po(text):
    """{msgid: (msgstr, fuzzy)} of a .po/.pot text, the header left out; a message in a
    context (msgctxt, TrIn) is keyed "CONTEXT\\x04MSGID", as gettext looks it up."""
    entries = {}
    fuzzy = False
    field = None
    parts = {"msgctxt": [], "msgid": [], "msgstr": []}

    def flush():
        nonlocal fuzzy
        if parts["msgid"] or parts["msgstr"]:
            msgid = "".join(parts["msgid"])
            if parts["msgctxt"]:
                msgid = "".join(parts["msgctxt"]) + "\x04" + msgid
            if msgid:
                entries[msgid] = ("".join(parts["msgstr"]), fuzzy)
        parts["msgctxt"], parts["msgid"], parts["msgstr"] = [], [], []
        fuzzy = False

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
        elif line.startswith("msgctxt "):
            if parts["msgstr"]:
                flush()
            field = "msgctxt"
            parts[field].append(unquote(line[len("msgctxt "):]))
        elif line.startswith("msgid "):
            if parts["msgstr"]:
                flush()
            field = "msgid"
            parts[field].append(unquote(line[len("msgid "):]))
        elif line.startswith("msgstr "):
            field = "msgstr"
            parts[field].append(unquote(line[len("msgstr "):]))
        elif line.startswith('"') and field:
            parts[field].append(unquote(line))
        elif not line:
            flush()
            field = None
    flush()
    return entries


def unquote(s):
    return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def placeholders(s):
    return sorted(re.findall(r"\$\d", s))


def problems(wanted, catalog):
    """What is wrong with `catalog` for the messages `wanted`."""
    found = []
    for msgid in sorted(wanted):
        if msgid not in catalog:
            found.append(f"not in ja.po: {msgid!r}")
            continue
        msgstr, fuzzy = catalog[msgid]
        if not msgstr or fuzzy:
            found.append(f"not translated in ja.po: {msgid!r}")
        elif placeholders(msgstr) != placeholders(msgid):
            found.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
    return found


def main():
    source = sys.argv[1]
    sources = sorted(glob.glob(os.path.join(source, "client", "*.cc")))
    pot = subprocess.run(
        ["xgettext", "--language=C++", "--keyword=Tr", "--keyword=TrIn:1c,2",
         "--from-code=UTF-8", "--omit-header", "--output=-"] + sources,
        check=True, capture_output=True, text=True).stdout
    wanted = set(parse_po(pot))
    if len(wanted) < 5:
        print(f"only {len(wanted)} Tr() messages found in {source}/client: is xgettext working?")
        return 1
    with open(os.path.join(source, "client", "po", "ja.po"), encoding="utf-8") as f:
        catalog = parse_po(f.read())

    # The checks themselves, on a catalog made wrong on purpose: one good translation loses a
    # placeholder, another good one is taken out; both must be seen.
    good = sorted(m for m in wanted if not problems({m}, catalog))
    with_placeholder = [m for m in good if placeholders(m)]
    if not with_placeholder or len(good) < 2:
        print("too few good translations to check the checks with")
        return 1
    some = with_placeholder[0]
    missing = next(m for m in good if m != some)
    broken = dict(catalog)
    broken[some] = (broken[some][0].replace("$0", "$9"), False)
    del broken[missing]
    if problems({some, missing}, broken) != [
            f"not in ja.po: {missing!r}",
            f"placeholders differ: {some!r} -> {broken[some][0]!r}"] and problems(
                {some, missing}, broken) != [
            f"placeholders differ: {some!r} -> {broken[some][0]!r}",
            f"not in ja.po: {missing!r}"]:
        print("the checks no longer see a missing message or a broken placeholder")
        return 1

    found = problems(wanted, catalog)
    found += [f"in ja.po but not in the code: {m!r}" for m in sorted(catalog) if m not in wanted]
    for p in found:
        print(p)
    print(f"{len(wanted)} messages, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
