#!/usr/bin/env bash
# The `superpose suppression` CLI contract (issue 4): flags, JSON keys, the analytic optimum,
# one-line errors with exit code 2.
# Usage: tests/cli/suppression.sh path/to/superpose
set -uo pipefail
bin=$1
subcommand=(suppression)
source "$(dirname "$0")/lib.sh"

expect_usage_error "negative l1" "--l1: l1 must be in [0, 10] (got -1)" --l1 -1
expect_usage_error "probability 0" "--feature-prob: feature_probability must be in (0, 1] (got 0)" --feature-prob 0
expect_usage_error "probability 1.5" "--feature-prob: feature_probability must be in (0, 1] (got 1.5)" --feature-prob 1.5
expect_usage_error "NaN l1" "--l1 expects a finite number (got 'nan')" --l1 nan
expect_usage_error "NaN probability" "--feature-prob expects a finite number (got 'NaN')" --feature-prob NaN
expect_usage_error "bad fix" "--fix must be one of none|scale|gated (got 'topk')" --fix topk
expect_usage_error "bad magnitude" "--magnitude must be one of binary|uniform (got 'normal')" --magnitude normal
expect_usage_error "bad sweep value" "--sweep: l1 must be in [0, 10] (got -2)" --sweep 0.1,-2
expect_usage_error "l1 with sweep" "--l1 and --sweep are exclusive" --l1 0.3 --sweep 0.1,0.2
expect_usage_error "zero steps" "--steps: steps must be in [1, 10000000] (got 0)" --steps 0
expect_usage_error "unknown flag" "unknown flag --bogus" --bogus 1

out=$("$bin" suppression --l1 0.6 --feature-prob 0.3 --steps 2000 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for key in ["config", "analytic_activation", "trained_activation", "effective_activation", "transfer_curve", "relative_reconstruction_bias"]:
    assert key in d, key
assert d["config"]["l1"] == 0.6 and d["config"]["feature_probability"] == 0.3 and d["config"]["fix"] == "none"
assert abs(d["analytic_activation"] - 0.7) < 1e-9
assert abs(d["trained_activation"] - 0.7) < 0.01, d["trained_activation"]
assert abs(d["effective_activation"] - 0.7) < 0.01
assert abs(d["relative_reconstruction_bias"] - 0.7) < 0.01
curve = d["transfer_curve"]
assert len(curve) >= 11 and all(len(p) == 2 for p in curve)
assert curve[0][0] == 0 and curve[-1][0] == 1 and abs(curve[-1][1] - 0.7) < 0.01
'; then pass "json keys; trained a = 1 - c/2"; else fail "json keys; trained a = 1 - c/2: $out"; fi

# The trained optima below (2000-4000 steps each, thirteen runs) are the plain native run's;
# under the sanitizers the checks above and below keep the flags, keys and a trained run.
if long_check "trained optima: the fixes, the sweep, uniform magnitudes, decoder bias, several features"; then
for fix in scale gated; do
  out=$("$bin" suppression --fix $fix --l1 1.2 --steps 2000 --json)
  if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert abs(d["analytic_activation"] - 0.4) < 1e-9
assert abs(d["trained_activation"] - 0.4) < 0.01, d["trained_activation"]
assert abs(d["effective_activation"] - 1) < 0.05, d["effective_activation"]
assert abs(d["relative_reconstruction_bias"] - 1) < 0.05
'; then pass "fix $fix: effective activation 1"; else fail "fix $fix: $out"; fi
done

out=$("$bin" suppression --sweep 0.4,1,2.5 --steps 2000 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 3
for e, c in zip(d, [0.4, 1, 2.5]):
    assert e["config"]["l1"] == c
    want = max(0, 1 - c / 2)
    assert abs(e["analytic_activation"] - want) < 1e-9
    assert abs(e["trained_activation"] - want) < 0.01, (c, e["trained_activation"])
'; then pass "sweep: one entry per c, on the curve"; else fail "sweep: $out"; fi

out=$("$bin" suppression --magnitude uniform --l1 0.8 --steps 3000 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
curve = json.load(sys.stdin)["transfer_curve"]
for x, f in curve:
    if x < 0.37: assert f == 0, (x, f)
    if x > 0: assert f < x, (x, f)
    if x > 0.45: assert abs(f - (x - 0.4)) < 0.02, (x, f)
'; then pass "uniform: soft-threshold transfer curve"; else fail "uniform transfer curve: $out"; fi

out=$("$bin" suppression --decoder-bias --l1 0.4 --feature-prob 0.5 --steps 4000 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert abs(d["analytic_activation"] - 0.6) < 1e-9
assert abs(d["trained_activation"] - 0.6) < 0.01, d["trained_activation"]
'; then pass "decoder bias: a = 1 - c/(2(1-p))"; else fail "decoder bias: $out"; fi

# Issue 14: several co-active features. 1 − c·n/2 is one latent per feature, not the optimum: the
# JSON says so (analytic null, monosemantic 0.4), and the exact expected losses decide (measured:
# trained 0.3713 < 0.4200 one latent per feature, a = 0.115; the brute force of
# tests/unit/test_suppression_optimum.cpp finds the same optimum).
out=$("$bin" suppression --l1 0.4 --features 3 --steps 3000 --batch 512 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["analytic_activation"] is None, d["analytic_activation"]
assert abs(d["monosemantic_activation"] - 0.4) < 1e-9
loss = d["expected_loss"]
assert abs(loss["monosemantic"] - 0.42) < 1e-9, loss
assert loss["lower_bound"] <= loss["trained"] < loss["monosemantic"] - 0.04, loss
assert abs(loss["trained"] - 0.3713) < 0.002, loss
assert abs(d["trained_activation"] - 0.115) < 0.01, d["trained_activation"]
assert d["decoder_mixing"] > 0.3 and d["dead"] is False and d["fix_outcome"] == "none"
'; then pass "n=3: analytic null, trained loss below one latent per feature"; else fail "n=3 optimum: $out"; fi

text=$("$bin" suppression --l1 0.4 --features 3 --steps 3000 --batch 512)
if [[ "$text" == *"one latent per feature: a = 1 − c·n/2"* && "$text" == *"not the optimum"* \
      && "$text" == *"is below one latent per feature's 0.4200"* ]]; then
  pass "n=3 text: both curves and the verdict"; else fail "n=3 text: $text"; fi

# The fixes on a polysemantic encoder: the scale vector cannot decode 1 and says why.
out=$("$bin" suppression --l1 0.4 --features 3 --fix scale --steps 3000 --batch 512 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["fix_outcome"] == "mixed", d["fix_outcome"]
assert d["effective_activation"] < 0.5
'; then pass "n=3 scale: outcome mixed"; else fail "n=3 scale: $out"; fi
text=$("$bin" suppression --l1 0.4 --features 3 --fix scale --steps 3000 --batch 512)
[[ "$text" == *"the scale vector decodes 0.2"*"not 1: the latents mix features"* ]] \
  && pass "n=3 scale text: why not 1" || fail "n=3 scale text: $text"
out=$("$bin" suppression --l1 0.4 --features 4 --fix scale --steps 3000 --batch 512 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["fix_outcome"] == "dead" and d["effective_activation"] == 0, (d["fix_outcome"], d["effective_activation"])
'; then pass "n=4 scale: outcome dead (no latent for a feature alone)"; else fail "n=4 scale: $out"; fi
out=$("$bin" suppression --l1 0.4 --features 3 --fix gated --steps 3000 --batch 512 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["fix_outcome"] == "restored" and abs(d["effective_activation"] - 1) < 0.05, d
'; then pass "n=3 gated: restored"; else fail "n=3 gated: $out"; fi
fi  # long_check

# A dead encoder (c ≥ 2: nothing fires): no γ, the word dead.
out=$("$bin" suppression --l1 2.5 --steps 1000 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["dead"] is True and d["relative_reconstruction_bias"] is None, d
'; then pass "dead encoder: γ null"; else fail "dead encoder json: $out"; fi
text=$("$bin" suppression --l1 2.5 --steps 1000)
row=$(printf '%s\n' "$text" | grep -E '^2\.5 ')
[[ "$row" == *" dead "* && "$text" == *"dead: no latent fires"* ]] && pass "dead encoder: text says dead" \
  || fail "dead encoder text: $text"

a=$("$bin" suppression --fix gated --steps 300 --seed 3 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["transfer_curve"])')
b=$("$bin" suppression --fix gated --steps 300 --seed 3 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["transfer_curve"])')
[ "$a" = "$b" ] && pass "same seed, same curve" || fail "same seed, same curve"

summary=$("$bin" suppression --steps 500)
if [[ "$summary" == *"analytic"* && "$summary" == *"effective"* && "$summary" == *"transfer curve"* ]]; then
  pass "plain summary"; else fail "plain summary: $summary"; fi
"$bin" suppression --help | grep -q -- "--sweep" && pass "help" || fail "help"

[ "$fails" -eq 0 ] || { echo "$fails CLI check(s) failed"; exit 1; }
