#!/usr/bin/env bash
# `superpose schema` (issue 13): every kind's config keys as JSON, and the CLI flags they name:
# every field with a flag is listed by its command's --help, with its default and range.
# Usage: tests/cli/schema.sh path/to/superpose
set -uo pipefail
bin=$1
subcommand=(schema)
source "$(dirname "$0")/lib.sh"

expect_usage_error "unknown kind" 'unknown experiment kind "nope"' nope
expect_usage_error "unknown flag" "unknown flag --bogus" --bogus 1

if "$bin" schema toy --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["kind"] == "toy", s
f = {x["name"]: x for x in s["fields"]}
assert f["n_hidden"]["max_field"] == "n_features" and f["n_hidden"]["default"] == 2, f["n_hidden"]
assert f["model"]["choices"] == ["relu", "linear", "relu-hidden", "abs"]
assert f["n_features"]["flag"] == "--features"
'; then pass "schema toy --json"; else fail "schema toy --json"; fi

text=$("$bin" schema)  # (not piped into grep -q: an early exit would kill the writer)
[[ "$text" == *"n_features"* && "$text" == *"kind lm"* ]] && pass "schema (text)" || fail "schema (text)"

# Every flag a schema names is in its command's --help, with the field's range when it has one.
# (The python exits non-zero on any error of its own, so a broken check cannot pass as "no problems".)
out=$("$bin" schema --json | python3 -c '
import json, subprocess, sys
binary = sys.argv[1]
problems = []
# the commands whose --help lists the flags of a kind: steer is both steer and ablate; lm is lm train
COMMANDS = {"steer": [["steer"], ["ablate"]], "lm": [["lm", "train"]]}
for kind, schema in json.load(sys.stdin).items():
    fields = [f for f in schema["fields"] if f["type"] != "object"]
    fields += [g for f in schema["fields"] if f["type"] == "object" for g in f["fields"]]
    help_text = "".join(subprocess.run([binary, *c, "--help"], capture_output=True, text=True).stdout
                        for c in COMMANDS.get(kind, [[kind]]))
    assert help_text, kind + ": --help printed nothing"
    for f in fields:
        flag, name = f["flag"], f["name"]
        if not flag:
            continue
        lines = [l for l in help_text.splitlines() if (" " + flag + " ") in (" " + l + " ").replace("=", " ")]
        if not lines:
            problems.append("%s: --help does not list %s (%s)" % (kind, flag, name))
        elif f["max_field"] and f["max_field"] not in help_text:
            problems.append("%s: --help does not show the bound %s of %s" % (kind, f["max_field"], flag))
print("\n".join(problems))
' "$bin")
code=$?
if [ "$code" -eq 0 ] && [ -z "$out" ]; then pass "every flag of every schema is in its command's --help"; else fail "flags in --help (exit $code): $out"; fi

[ "$fails" -eq 0 ] || { echo "$fails CLI check(s) failed"; exit 1; }
