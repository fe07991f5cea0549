#!/usr/bin/env bash
# The `superpose lm` CLI contract (issue 15): train / sample / ablate, their flags and JSON keys,
# one-line errors with exit code 2, save → load → the same next-token distribution, seeded runs
# reproducible, a text file trains a byte model and bad files are refused by name.
# Usage: tests/cli/lm.sh path/to/superpose
set -uo pipefail
bin=$1
subcommand=(lm)
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
small=(--layers 1 --d-model 16 --heads 2 --context 12 --batch 8 --steps 20 --train-tokens 10000 --heldout-tokens 1000)

expect_usage_error "no command" "unknown lm command 'fly'" fly
expect_usage_error "layers 7" "--layers: n_layers must be in [1, 6] (got 7)" train --layers 7
expect_usage_error "heads do not divide" "--heads" train --d-model 64 --heads 5
expect_usage_error "context 200" "--context: context must be in [2, 128] (got 200)" train --context 200
expect_usage_error "lr 0" "--lr: lr must be in (0, 10] (got 0)" train --lr 0
expect_usage_error "bad data" "--data must be toy or a FILE.txt (got 'x.csv')" train --data x.csv
expect_usage_error "unknown flag" "unknown flag --bogus" train --bogus 1
expect_usage_error "sample without load" "--load DIR is required" sample --prompt "the"
expect_usage_error "sample bad temperature" "--temperature must be in [0, 100] (got -1)" sample --load "$tmp" --prompt x --temperature -1
if "$bin" lm train --help | grep -q -- "--d-model"; then pass "train help"; else fail "train help"; fi
if "$bin" lm sample --help | grep -q -- "--temperature"; then pass "sample help"; else fail "sample help"; fi

out=$("$bin" lm train "${small[@]}" --seed 3 --save "$tmp/m" --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, math, sys
d = json.load(sys.stdin)
for key in ["config", "steps_per_second", "tokens_per_second", "train_loss", "eval_loss", "probes", "samples"]:
    assert key in d, key
c = d["config"]
assert c["n_layers"] == 1 and c["d_model"] == 16 and c["n_heads"] == 2 and c["context"] == 12 and c["seed"] == 3
assert d["tokens_per_second"] == d["steps_per_second"] * 8 * 12
assert math.isfinite(d["train_loss"]) and 0 < d["eval_loss"] < math.log(75) + 0.5
t = d["probes"]["temperature"]
assert t["total"] == 36 and 0 <= t["correct"] <= 36
assert d["samples"][0]["prompt"] == "the weather in california is" and d["samples"][0]["text"]
assert d["saved"].endswith("model.safetensors")
'; then pass "train json keys"; else fail "train json: $out"; fi

a=$("$bin" lm train "${small[@]}" --seed 3 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["train_loss"], d["eval_loss"])')
b=$("$bin" lm train "${small[@]}" --seed 4 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["train_loss"], d["eval_loss"])')
c=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["train_loss"], d["eval_loss"])')
if [ "$a" = "$c" ] && [ "$a" != "$b" ]; then pass "seeded runs reproducible"; else fail "seeded runs: $a / $c / $b"; fi

out=$("$bin" lm sample --load "$tmp/m" --prompt "the weather in oslo is" --tokens 5 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["prompt"] == "the weather in oslo is"
assert len(d["text"].split()) == 5, d["text"]
n = d["next_token"]
assert len(n) == 10 and all(set(e) == {"token", "p"} for e in n)
assert all(n[i]["p"] >= n[i + 1]["p"] for i in range(9))
'; then pass "sample json keys"; else fail "sample json: $out"; fi
s1=$("$bin" lm sample --load "$tmp/m" --prompt "one two" --temperature 1 --seed 7 --json)
s2=$("$bin" lm sample --load "$tmp/m" --prompt "one two" --temperature 1 --seed 7 --json)
if [ "$s1" = "$s2" ]; then pass "seeded sampling reproducible"; else fail "seeded sampling"; fi
expect_usage_error "unknown word" '--prompt: unknown word "paris" (word 4): not in the 75-word vocabulary of the saved model' sample --load "$tmp/m" --prompt "the weather in paris is"
expect_usage_error "a typo's word" 'unknown word "califonia" (word 4): not in the 75-word vocabulary of the saved model (did you mean "california"?)' sample --load "$tmp/m" --prompt "the weather in califonia is"

out=$("$bin" lm ablate --load "$tmp/m" --prompt "in winter the weather in oslo is" --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, math, sys
d = json.load(sys.stdin)
assert set(d) == {"prompt", "target", "clean", "components"}, set(d)
names = [c["name"] for c in d["components"]]
assert names == ["L0H0", "L0H1", "L0.mlp"], names
for c in d["components"]:
    assert math.isclose(c["loss_delta"], c["loss"] - d["clean"]["loss"], rel_tol=1e-9, abs_tol=1e-12)
    assert (c["head"] is None) == c["name"].endswith("mlp")
'; then pass "ablate json keys"; else fail "ablate json: $out"; fi
expect_usage_error "ablate one token" "--prompt must hold at least 2 tokens" ablate --load "$tmp/m" --prompt "the"
expect_usage_error "ablate bad target" '--target "sunny" is not one token' ablate --load "$tmp/m" --prompt "the weather" --target sunny

# a damaged model file: refused by name (exit 2), no crash
head -c 200 "$tmp/m/model.safetensors" > "$tmp/bad.safetensors"; mkdir -p "$tmp/bad"; mv "$tmp/bad.safetensors" "$tmp/bad/model.safetensors"
expect_usage_error "damaged model file" "model.safetensors" sample --load "$tmp/bad" --prompt "the"

# a text file trains a byte model; an empty or binary file is refused by name
python3 -c 'print(("the quick brown fox jumps over the lazy dog. " * 200))' > "$tmp/fox.txt"
out=$("$bin" lm train "${small[@]}" --data "$tmp/fox.txt" --save "$tmp/fox" --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["config"]["data"] == "text" and d["vocab_size"] == 256 and d["probes"] == {}
'; then pass "text file trains a byte model"; else fail "text file: $out"; fi
if "$bin" lm sample --load "$tmp/fox" --prompt "the quick" --tokens 4 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["text"].encode()) >= 1'; then
  pass "byte model samples"; else fail "byte model samples"; fi
: > "$tmp/empty.txt"
expect_usage_error "empty text file" "is empty" train "${small[@]}" --data "$tmp/empty.txt"
printf 'abc\0def' > "$tmp/bin.txt"
expect_usage_error "binary text file" "binary" train "${small[@]}" --data "$tmp/bin.txt"

if [ "$fails" -eq 0 ]; then echo "lm CLI contract: all passed"; else echo "lm CLI contract: $fails failed"; fi
exit $((fails > 0))
