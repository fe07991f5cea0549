#!/usr/bin/env bash
# The `superpose` CLI contract (issue 2): flags, JSON keys, one-line errors with exit code 2.
# Usage: tests/cli/run.sh path/to/superpose
set -uo pipefail
bin=$1
subcommand=()
source "$(dirname "$0")/lib.sh"

expect_usage_error "hidden > features" "--hidden: n_hidden must be in [1, n_features=5] (got 7)" toy --hidden 7
expect_usage_error "unknown flag" "unknown flag --bogus" toy --bogus 1
expect_usage_error "non-numeric" "--features expects an integer (got 'five')" toy --features five
expect_usage_error "NaN probability" "--feature-prob expects a finite number (got 'nan')" toy --feature-prob nan
expect_usage_error "probability 0" "--feature-prob: feature_probability must be in (0, 1] (got 0)" toy --feature-prob 0
expect_usage_error "probability count" "feature_probability must have 1 or n_instances=3 values (got 2)" toy --instances 3 --feature-prob 0.1,0.2
expect_usage_error "bad model" "--model must be one of relu|linear|relu-hidden|abs (got 'gelu')" toy --model gelu
expect_usage_error "missing value" "--steps needs a value" toy --steps
expect_usage_error "unknown command" "unknown command 'nope'" nope
expect_usage_error "negative lr" "--lr: lr must be in (0, 10] (got -1)" toy --lr -1

out=$("$bin" toy --features 5 --hidden 2 --instances 2 --feature-prob 0.1,0.01 --steps 300 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert set(d) >= {"config", "steps_per_second", "instances"}, d.keys()
assert d["steps_per_second"] > 0
assert len(d["instances"]) == 2
for i, inst in enumerate(d["instances"]):
    for key in ["feature_probability", "loss", "W", "b", "feature_norms", "interference", "dimensionality", "dims_per_feature"]:
        assert key in inst, key
    assert len(inst["W"]) == 2 and all(len(r) == 5 for r in inst["W"])
    assert len(inst["b"]) == 5 and len(inst["feature_norms"]) == 5
assert d["instances"][1]["feature_probability"] == 0.01
assert d["config"]["n_instances"] == 2
'; then pass "json output keys and shapes"; else fail "json output keys and shapes"; fi

out=$("$bin" toy --model abs --features 4 --hidden 3 --steps 50 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
inst = json.load(sys.stdin)["instances"][0]
assert "W" not in inst and len(inst["W1"]) == 3 and len(inst["W1"][0]) == 4
assert len(inst["W2"]) == 4 and len(inst["W2"][0]) == 3
'; then pass "abs model reports W1 and W2"; else fail "abs model reports W1 and W2"; fi

a=$("$bin" toy --steps 200 --seed 4 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["instances"][0]["W"])')
b=$("$bin" toy --steps 200 --seed 4 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["instances"][0]["W"])')
[ "$a" = "$b" ] && pass "same seed, same W" || fail "same seed, same W"

summary=$("$bin" toy --steps 500)
if [[ "$summary" == *"represented"* && "$summary" == *"dims/feature"* && "$summary" == *"steps/s"* ]]; then
  pass "plain summary"; else fail "plain summary: $summary"; fi

[ "$fails" -eq 0 ] || { echo "$fails CLI check(s) failed"; exit 1; }
