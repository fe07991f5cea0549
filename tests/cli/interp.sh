#!/usr/bin/env bash
# The `superpose steer` / `superpose ablate` contract (issue 6): flags, JSON keys and shapes,
# one-line usage errors with exit code 2, seeded reproducibility.
# Usage: tests/cli/interp.sh path/to/superpose
set -uo pipefail
bin=$1
subcommand=()
source "$(dirname "$0")/lib.sh"
toy=(--features 5 --hidden 2 --feature-prob 0.03 --steps 3000 --lr 1e-2)

expect_usage_error "steer needs a direction" "--latent I or --direction feature:I|unit:J is required" steer --strength 1
expect_usage_error "steer: both" "give --latent or --direction, not both" steer --latent 0 --direction unit:0
expect_usage_error "steer: bad direction" "--direction: direction must be latent:I, feature:I or unit:J" steer --direction neuron:1
expect_usage_error "steer: unit out of range" "unit:2 is out of range (n_hidden=2)" steer --direction unit:2
expect_usage_error "steer: bad input" "--input must be one of zero|sample (got 'ones')" steer --latent 0 --input ones
expect_usage_error "steer: toy flag error" "--hidden: n_hidden must be in [1, n_features=5] (got 7)" steer --latent 0 --hidden 7
expect_usage_error "steer: strength" "--strength expects a finite number (got 'big')" steer --latent 0 --strength big
expect_usage_error "steer: strength in the page's range" "--strength: strength must be in [-100, 100] (got 500)" steer --latent 0 --strength 500
expect_usage_error "ablate: bad mode" "--mode must be one of zero|mean|resample (got 'half')" ablate --mode half
expect_usage_error "ablate: index and all" "give --index or --all, not both" ablate --all --index 1
expect_usage_error "ablate: index range" "--index: index must be in [0, n_hidden-1=1] (got 3)" ablate --target unit --index 3
expect_usage_error "ablate: unknown flag" "unknown flag --bogus" ablate --bogus 1

# steering along the latent matched to feature k switches output k on (pentagon): the perfect SAE's
# latent 3 is feature 3; a trained SAE (default TopK, on h = W x) finds each feature in some latent
check_steer() {  # name, expected matched feature (-1: any), args...
  local name=$1 want=$2
  shift 2
  local out
  out=$("$bin" steer "${toy[@]}" "$@" --strength 1.5 --json)
  if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
want, kind = int(sys.argv[1]), sys.argv[2]
assert set(d) >= {"config", "before", "after", "switched_on", "matched_feature"}, d.keys()
assert len(d["before"]) == 5 and len(d["after"]) == 5
assert d["config"]["direction"] == "latent:3" and d["config"]["strength"] == 1.5
assert d["config"]["toy"]["n_features"] == 5
assert d["config"]["sae"]["kind"] == kind, d["config"]["sae"]
k = d["matched_feature"]
assert k == want if want >= 0 else 0 <= k < 5, k
assert d["after"][k] > d["before"][k] + 0.5, (d["before"], d["after"])
assert max(range(5), key=lambda i: d["after"][i]) == k
assert k in d["switched_on"]
' "$want" "$4"; then pass "$name"; else fail "$name"; fi
}
check_steer "steer --json (perfect): latent 3 is feature 3, output rises" 3 --latent 3 --sae perfect
check_steer "steer --json (topk): matched output rises" -1 --latent 3 --sae topk

out=$("$bin" steer "${toy[@]}" --latent 0 --strength 0 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["config"]["sae"] == {"kind": "topk", "n_latents": 10, "l1": 0.01, "k": 1, "steps": 1000, "seed": 0}, d["config"]["sae"]
'; then pass "steer: the default SAE is a trained topk"; else fail "steer: the default SAE is a trained topk"; fi
out=$("$bin" steer "${toy[@]}" --latent 1 --strength 1 --sae relu --l1 0.02 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["config"]["sae"]["kind"] == "relu" and d["config"]["sae"]["l1"] == 0.02, d["config"]["sae"]
assert 0 <= d["matched_feature"] < 5 and len(d["after"]) == 5
'; then pass "steer --sae relu --l1 runs"; else fail "steer --sae relu --l1 runs"; fi
out=$("$bin" steer "${toy[@]}" --latent 7 --strength 0 --latents 8 --sae-steps 500 --sae-seed 2 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["config"]["sae"]["n_latents"] == 8 and d["config"]["sae"]["steps"] == 500 and d["config"]["sae"]["seed"] == 2
'; then pass "steer: SAE flags"; else fail "steer: SAE flags"; fi
expect_usage_error "steer: latent beyond n_latents" "--latent: latent:10 is out of range (n_latents=10)" steer --latent 10
expect_usage_error "steer: latent beyond --latents" "--latent: latent:4 is out of range (n_latents=4)" steer --latent 4 --latents 4
expect_usage_error "steer: bad --sae" "--sae must be one of" steer --latent 0 --sae magic
expect_usage_error "steer: bad --latents" "--latents: n_latents must be in [1, 16384] (got 0)" steer --latent 0 --latents 0

out=$("$bin" steer "${toy[@]}" --direction unit:1 --strength 0 --input sample --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["before"] == d["after"]
assert max(d["input"]) > 0
'; then pass "steer strength 0 changes nothing"; else fail "steer strength 0 changes nothing"; fi

# ablate: one row without --all, one row per latent/unit with --all; latents more diagonal
one=$("$bin" ablate "${toy[@]}" --sae perfect --target latent --index 2 --mode zero --json)
if printf '%s' "$one" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert set(d) >= {"config", "effects"}
assert len(d["effects"]) == 1 and len(d["effects"][0]) == 5
assert d["config"]["index"] == 2 and d["config"]["mode"] == "zero"
row = d["effects"][0]
assert max(range(5), key=lambda j: abs(row[j])) == d["matched_feature"][2]
'; then pass "ablate --index: one row"; else fail "ablate --index: one row"; fi

lat=$("$bin" ablate "${toy[@]}" --sae perfect --target latent --all --mode mean --json)
unit=$("$bin" ablate "${toy[@]}" --target unit --all --mode mean --json)
if python3 -c '
import json, sys
lat, unit = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert len(lat["effects"]) == 5 and all(len(r) == 5 for r in lat["effects"])
assert len(unit["effects"]) == 2 and all(len(r) == 5 for r in unit["effects"])
assert lat["diagonality"] > unit["diagonality"] + 0.3, (lat["diagonality"], unit["diagonality"])
' "$lat" "$unit"; then pass "ablate --all: latents more diagonal than units"; else fail "ablate --all: latents more diagonal than units"; fi

a=$("$bin" ablate "${toy[@]}" --target unit --all --mode resample --seed 3 --json)
b=$("$bin" ablate "${toy[@]}" --target unit --all --mode resample --seed 3 --json)
[ "$a" = "$b" ] && pass "resample ablation: same seed, same effects" || fail "resample ablation: same seed, same effects"

# the default trained SAE (10 latents): its zero-ablation effects are more diagonal than the units'
lat=$("$bin" ablate "${toy[@]}" --target latent --all --mode zero --json)
unit=$("$bin" ablate "${toy[@]}" --target unit --all --mode zero --json)
if python3 -c '
import json, sys
lat, unit = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert len(lat["effects"]) == 10 and all(len(r) == 5 for r in lat["effects"])
assert lat["diagonality"] > unit["diagonality"] + 0.3, (lat["diagonality"], unit["diagonality"])
' "$lat" "$unit"; then pass "ablate --all (default topk SAE): latents more diagonal"; else fail "ablate --all (default topk SAE): latents more diagonal"; fi

"$bin" steer "${toy[@]}" --latent 0 >/dev/null && pass "steer summary" || fail "steer summary"
"$bin" ablate "${toy[@]}" --all >/dev/null && pass "ablate summary" || fail "ablate summary"
"$bin" steer --help | grep -q -- "--direction" && pass "steer --help" || fail "steer --help"

[ "$fails" -eq 0 ] && echo "all interp CLI checks passed" || echo "$fails interp CLI check(s) failed"
exit $((fails > 0))
