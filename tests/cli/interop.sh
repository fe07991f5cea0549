#!/usr/bin/env bash
# The CLI's interop contract (issue 7): `toy --save DIR / --load FILE` (and `sae --save/--load`
# once the sae command exists): round trips give identical tensors and metrics; bad files and
# flag clashes are one-line errors with exit code 2.
# Usage: tests/cli/interop.sh path/to/superpose
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
subcommand=()
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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

# ---- sae: SAELens folders out and in ----------------------------------------------------
# the data (and its seed) both runs measure on; the file sets the architecture and size
sae_flags=(--data synthetic --input-dim 8 --true-features 16 --active 2 --seed 3)
for arch in relu jumprelu topk; do
  "$bin" sae --arch $arch "${sae_flags[@]}" --latents 32 --batch 128 --steps 150 --save "$tmp/sae_$arch" --json > "$tmp/sae_$arch.trained.json"
  code=$?
  [ $code -eq 0 ] && [ -f "$tmp/sae_$arch/cfg.json" ] && [ -f "$tmp/sae_$arch/sae_weights.safetensors" ] \
    && pass "sae --save writes a SAELens folder ($arch)" || fail "sae --save writes a SAELens folder ($arch): exit $code"
  "$bin" sae "${sae_flags[@]}" --load "$tmp/sae_$arch" --json > "$tmp/sae_$arch.loaded.json"
  if python3 - "$tmp/sae_$arch.trained.json" "$tmp/sae_$arch.loaded.json" "$tmp/sae_$arch" "$arch" <<'PY'
import json, struct, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
folder, arch = sys.argv[3], sys.argv[4]
assert a["metrics"] == b["metrics"], (a["metrics"], b["metrics"])
assert b["config"]["arch"] == arch and b["config"]["n_latents"] == 32
assert b["loaded"] == folder and a["saved"] == folder
cfg = json.load(open(folder + "/cfg.json"))
assert cfg["d_in"] == 8 and cfg["d_sae"] == 32 and cfg["dtype"] == "float32"
assert cfg["architecture"] == {"relu": "standard"}.get(arch, arch)
raw = open(folder + "/sae_weights.safetensors", "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
h = json.loads(raw[8:8 + n])
assert h["W_enc"]["shape"] == [8, 32] and h["W_dec"]["shape"] == [32, 8], h
assert h["b_enc"]["shape"] == [32] and h["b_dec"]["shape"] == [8]
assert ("threshold" in h) == (arch == "jumprelu")
PY
  then pass "sae --load gives identical metrics, SAELens shapes ($arch)"
  else fail "sae --load gives identical metrics, SAELens shapes ($arch)"; fi
done

out=$("$bin" sae --data synthetic --input-dim 4 --true-features 8 --active 1 --load "$here/../fixtures/saelens_jumprelu" --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["config"]["arch"] == "jumprelu" and d["config"]["n_latents"] == 6, d["config"]
assert 0 <= d["metrics"]["l0"] <= 6
'; then pass "sae --load reads the independent SAELens fixture"; else fail "sae --load reads the independent SAELens fixture"; fi

expect_usage_error "sae load with --latents" "--latents cannot be combined with --load" \
  sae "${sae_flags[@]}" --latents 16 --load "$tmp/sae_relu"
expect_usage_error "sae load, wrong data dimension" "the SAE reads d_in=8 dimensions but the data has 9" \
  sae --data synthetic --input-dim 9 --true-features 16 --load "$tmp/sae_relu"
expect_usage_error "sae load of a toy file folder" "cfg.json" sae "${sae_flags[@]}" --load "$tmp/relu"
expect_usage_error "sae save with a sweep" "--save needs a single run" \
  sae "${sae_flags[@]}" --sweep 0.1,0.2 --save "$tmp/x"
expect_usage_error "sae save gated" "the gated architecture is not supported" \
  sae --arch gated "${sae_flags[@]}" --latents 32 --batch 128 --steps 20 --save "$tmp/gated"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
