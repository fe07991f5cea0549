#!/usr/bin/env bash
# The CLI's interop contract (issue 7): `toy --save DIR / --load FILE` (and `sae --save/--load`
# once the sae command exists): round trips give identical tensors and metrics; bad files and
# flag clashes are one-line errors with exit code 2.
# Usage: tests/cli/interop.sh path/to/superpose
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
fails=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_usage_error() {  # name, expected substring, args...
  local name=$1 want=$2
  shift 2
  local err code
  err=$("$bin" "$@" 2>&1 >/dev/null)
  code=$?
  if [ "$code" -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ "$err" == *"$want"* ]]; then
    pass "$name"
  else
    fail "$name: exit $code, stderr: $err"
  fi
}

# ---- toy: save, reload, same tensors and losses ------------------------------------------
for model in relu abs; do
  "$bin" toy --model $model --features 6 --hidden 2 --instances 2 --feature-prob 0.2,0.02 \
      --steps 300 --seed 5 --save "$tmp/$model" --json > "$tmp/$model.trained.json"
  code=$?
  [ -f "$tmp/$model/toy_model.safetensors" ] && [ $code -eq 0 ] \
    && pass "toy --save writes toy_model.safetensors ($model)" \
    || fail "toy --save writes toy_model.safetensors ($model): exit $code"
  "$bin" toy --load "$tmp/$model/toy_model.safetensors" --json > "$tmp/$model.loaded.json"
  if python3 - "$tmp/$model.trained.json" "$tmp/$model.loaded.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["saved"].endswith("toy_model.safetensors"), a.get("saved")
assert "saved" not in b
assert a["config"] == b["config"], (a["config"], b["config"])
for x, y in zip(a["instances"], b["instances"]):
    for key in ["W", "W1", "W2", "b", "feature_norms", "dimensionality", "loss"]:
        assert x.get(key) == y.get(key), key
assert len(a["instances"]) == len(b["instances"]) == 2
PY
  then pass "toy --load reports identical tensors and losses ($model)"
  else fail "toy --load reports identical tensors and losses ($model)"; fi
done

out=$("$bin" toy --load "$tmp/relu/toy_model.safetensors")
[[ "$out" == *"loaded a saved model (no training)"* ]] && pass "toy --load summary" || fail "toy --load summary: $out"

# the file is plain safetensors: a stdlib reader sees W [K, m, n], b [K, n] and the config
if python3 - "$tmp/relu/toy_model.safetensors" <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
h = json.loads(raw[8:8 + n])
assert h["W"]["dtype"] == "F32" and h["W"]["shape"] == [2, 2, 6], h["W"]
assert h["b"]["shape"] == [2, 6]
cfg = json.loads(h["__metadata__"]["config"])
assert cfg["n_features"] == 6 and cfg["seed"] == 5
PY
then pass "toy file readable by the spec"; else fail "toy file readable by the spec"; fi

# ---- errors ----------------------------------------------------------------------------
expect_usage_error "load with toy flags" "--features cannot be combined with --load" \
  toy --load "$tmp/relu/toy_model.safetensors" --features 3
expect_usage_error "load missing file" "cannot open $tmp/nope.safetensors" toy --load "$tmp/nope.safetensors"
head -c 40 "$tmp/relu/toy_model.safetensors" > "$tmp/truncated.safetensors"
expect_usage_error "load truncated file" "truncated.safetensors: safetensors: header size" \
  toy --load "$tmp/truncated.safetensors"
expect_usage_error "load an SAE as a toy model" "toy model file: __metadata__ has no \"format\"" \
  toy --load "$here/../fixtures/saelens_jumprelu/sae_weights.safetensors"
expect_usage_error "save without folder" "--save needs a value" toy --steps 10 --save

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
