#!/usr/bin/env bash
# The `superpose sae` CLI contract (issue 5): flags, JSON keys, sweeps, .npy input, one-line
# errors with exit code 2.
# Usage: tests/cli/sae.sh path/to/superpose
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
subcommand=(sae)
source "$(dirname "$0")/lib.sh"

expect_usage_error "bad arch" "--arch must be one of relu|gated|jumprelu|topk|batchtopk|matryoshka (got 'softmax')" --arch softmax
expect_usage_error "negative l1" "--l1: l1 must be in [0, 100] (got -1)" --l1 -1
expect_usage_error "NaN l1" "--l1 expects a finite number (got 'nan')" --l1 nan
expect_usage_error "zero latents" "--latents: n_latents must be in [1, 16384] (got 0)" --latents 0
expect_usage_error "k above latents" "--k: k must be in [1, n_latents=8] (got 9)" --arch topk --latents 8 --k 9
expect_usage_error "active above features" "--active: active must be in (0, true_features=256] (got 300)" --active 300
expect_usage_error "bad data" "--data must be synthetic, toy, hierarchical or a FILE.npy (got 'foo')" --data foo
expect_usage_error "bad hierarchy" "--hierarchy: hierarchy must be R,B,DEPTH" --data hierarchical --hierarchy 8,4
expect_usage_error "zipf range" "--zipf-min: zipf_min must be in (0, zipf_max=0.4) (got 0.5)" --data hierarchical --zipf-min 0.5
expect_usage_error "missing npy" "--data: npy: cannot open" --data "$tmp/missing.npy"
expect_usage_error "l1 with sweep" "--l1 and --sweep are exclusive" --l1 0.3 --sweep 0.1,0.2
expect_usage_error "sweep and sweep-k" "--sweep and --sweep-k are exclusive" --sweep 0.1 --sweep-k 2
expect_usage_error "bad sweep value" "--sweep: l1 must be in [0, 100] (got -2)" --sweep 0.1,-2
expect_usage_error "fractional sweep-k" "--sweep-k expects integers (got 2.5)" --sweep-k 2.5
expect_usage_error "zero steps" "--steps: steps must be in [1, 100000000] (got 0)" --steps 0
expect_usage_error "unknown flag" "unknown flag --bogus" --bogus 1
expect_usage_error "bad init" "--init must be one of tied|random (got 'kaiming')" --init kaiming
expect_usage_error "zero dead window" "--dead-window: dead_window must be in [1, 100000000] (got 0)" --dead-window 0
# Untrusted .npy files: wrong dtype, truncated, 3-D.
python3 - "$tmp" <<'PY'
import struct, sys
d = sys.argv[1]
def npy(path, descr, shape, data):
    h = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
    open(path, "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + data)
npy(d + "/int.npy", "<i4", "(4, 2)", b"\0" * 32)
npy(d + "/short.npy", "<f4", "(4, 2)", b"\0" * 20)
npy(d + "/cube.npy", "<f4", "(2, 2, 2)", b"\0" * 32)
npy(d + "/huge.npy", "<f4", "(4000000000, 4000000000)", b"\0" * 32)
import random
random.seed(0)
rows = [[random.random() * (j % 3) for j in range(6)] for _ in range(300)]
npy(d + "/good.npy", "<f8", "(300, 6)", b"".join(struct.pack("<d", v) for r in rows for v in r))
PY
expect_usage_error "npy dtype" "--data: npy: dtype '<i4' is not supported" --data "$tmp/int.npy"
expect_usage_error "npy truncated" "--data: npy: file is truncated" --data "$tmp/short.npy"
expect_usage_error "npy 3-D" "--data: npy: activations must be a 2-D array" --data "$tmp/cube.npy"
expect_usage_error "npy huge" "--data: npy: shape is too large" --data "$tmp/huge.npy"

check_json() {  # name, python assertions on d, args...
  local name=$1 code=$2
  shift 2
  local out
  out=$("$bin" sae "$@" --json 2>/dev/null)
  if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c "import json, sys, math
d = json.load(sys.stdin)
$code"; then pass "$name"; else fail "$name: $out"; fi
}

check_json "json keys (relu)" '
for key in ["config", "steps_per_second", "metrics"]:
    assert key in d, key
m = d["metrics"]
for key in ["l0", "mse", "fve", "dead_fraction", "dense_fraction", "relative_reconstruction_bias", "mmcs", "recovered_fraction"]:
    assert key in m, key
c = d["config"]
assert c["arch"] == "relu" and c["input_dim"] == 16 and c["true_features"] == 32 and c["n_latents"] == 64
assert c["l1"] == 0.3 and c["steps"] == 300 and c["batch_size"] == 256 and c["seed"] == 3
assert 0 < m["l0"] < 64 and 0 < m["fve"] <= 1 and 0 <= m["mmcs"] <= 1
' --input-dim 16 --true-features 32 --active 2 --latents 64 --steps 300 --batch 256 --lr 1e-2 --seed 3

check_json "topk: L0 = k" '
assert d["config"]["arch"] == "topk" and d["config"]["k"] == 3
assert d["metrics"]["l0"] == 3, d["metrics"]["l0"]
' --arch topk --k 3 --input-dim 16 --true-features 32 --active 2 --latents 64 --steps 100 --batch 256

check_json "sweep: one entry per λ, L0 falls as λ grows" '
assert isinstance(d, list) and len(d) == 3
assert [e["config"]["l1"] for e in d] == [0.05, 0.3, 1.0]
l0 = [e["metrics"]["l0"] for e in d]
assert l0[0] > l0[1] > l0[2], l0
' --sweep 0.05,0.3,1 --input-dim 16 --true-features 32 --active 2 --latents 64 --steps 300 --batch 256 --lr 1e-2

check_json "sweep-k: one entry per k" '
assert [e["config"]["k"] for e in d] == [2, 4]
l0 = [e["metrics"]["l0"] for e in d]
assert 1.99 <= l0[0] <= 2 and 3.99 <= l0[1] <= 4, l0  # k unless a sample has fewer positive pre-activations
' --arch topk --sweep-k 2,4 --input-dim 16 --true-features 32 --active 2 --latents 64 --steps 200 --batch 256

check_json "every arch runs; toy data compares with the toy model's features" '
assert d["config"]["data"] == "toy" and d["config"]["input_dim"] == 2
assert d["metrics"]["mmcs"] > 0.5
' --arch gated --data toy --input-dim 2 --true-features 5 --active 0.125 --latents 5 --toy-steps 1000 --steps 300

# 6000 steps: the plain native run's (lib.sh long_check).
long_check "ARENA preset: init random, resampling revives dead latents, 5/5 recovered" &&
check_json "ARENA preset: init random, resampling revives dead latents, 5/5 recovered" '
c = d["config"]
assert c["init"] == "random" and c["dead_window"] == 100 and c["resample_every"] == 500
assert d["resampled"] > 0 and d["metrics"]["recovered_fraction"] == 1, d["metrics"]
' --data toy --input-dim 2 --true-features 5 --active 0.125 --latents 5 --init random --l1 0.6 --lr 1e-2 --steps 6000 --batch 512 --dead-window 100 --resample-every 500

check_json "hierarchical data: the ground-truth metrics, absorption included" '
c, m = d["config"], d["metrics"]
assert c["data"] == "hierarchical" and c["hierarchy"] == "4,3,2" and c["correlation_rank"] == 4
for key in ["mcc", "uniqueness", "precision", "recall", "f1", "absorption"]:
    assert m[key] is not None and 0 <= m[key] <= 1, (key, m[key])
assert 0 < m["shrinkage"] < 1.5 and m["mcc"] > 0.3
' --data hierarchical --true-features 128 --input-dim 32 --hierarchy 4,3,2 --correlation-rank 4 --arch topk --k 6 --latents 128 --steps 300 --batch 256

# The data's preset (the schema's presets of "data", the one place) fills every flag not given;
# given flags win, and a sweep over k still sets k.
preset=$("$bin" schema sae --json | python3 -c '
import json, sys
print(json.dumps([f for f in json.load(sys.stdin)["fields"] if f["name"] == "data"][0]["presets"]["hierarchical"]))')
check_json "--data hierarchical: the preset for every flag not given, given flags win" "
p = json.loads('$preset')
assert len(p) >= 6 and p['true_features'] > 256, p
c = d['config']
given = {'steps': 20, 'n_latents': 64, 'batch_size': 128}
for key, value in p.items():
    assert c[key] == given.get(key, value), (key, c[key], value)
assert c['data'] == 'hierarchical'
" --data hierarchical --steps 20 --latents 64 --batch 128 --eval-batch 256
check_json "--data hierarchical --sweep-k: the preset, k from the sweep" "
p = json.loads('$preset')
assert [r['config']['k'] for r in d] == [4, 6]
for r in d:
    assert r['config']['n_latents'] == p['n_latents'] and r['config']['input_dim'] == p['input_dim']
" --data hierarchical --arch batchtopk --sweep-k 4,6 --steps 10 --batch 128 --eval-batch 256
help=$("$bin" sae --help)
[[ "$help" == *"--data hierarchical sets, unless given:"*"--true-features"* ]] && pass "--help names the hierarchical preset" \
  || fail "--help names the hierarchical preset: $help"

check_json "synthetic data: ground truth but no hierarchy (absorption null)" '
m = d["metrics"]
assert m["mcc"] is not None and m["f1"] is not None and m["absorption"] is None
' --input-dim 16 --true-features 32 --active 2 --latents 64 --steps 100 --batch 256

check_json "npy file: no ground truth (mmcs null)" '
assert d["config"]["data"] == "npy" and d["config"]["input_dim"] == 6
assert d["metrics"]["mmcs"] is None and d["metrics"]["recovered_fraction"] is None
assert d["metrics"]["mcc"] is None and d["metrics"]["f1"] is None and d["metrics"]["absorption"] is None
assert d["metrics"]["shrinkage"] > 0
assert d["metrics"]["fve"] > 0
' --arch jumprelu --data "$tmp/good.npy" --latents 12 --steps 100 --batch 64

out=$("$bin" sae --input-dim 16 --true-features 32 --active 2 --latents 64 --steps 50 --batch 128 2>/dev/null)
if [ $? -eq 0 ] && [[ "$out" == *"MMCS"* ]] && [[ "$out" == *"relu"* ]]; then pass "text summary"; else fail "text summary: $out"; fi
# (through a file: grep -q closing the pipe early would SIGPIPE the longer help under pipefail)
"$bin" sae --help > "$tmp/help.txt" && grep -q -- "--sweep-k" "$tmp/help.txt" && grep -q -- "--hierarchy" "$tmp/help.txt" \
  && pass "help lists --sweep-k and --hierarchy" || fail "help"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
