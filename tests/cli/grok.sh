#!/usr/bin/env bash
# The `superpose grok` CLI contract (issue 10): flags, JSON keys, one-line errors with exit code 2,
# and the full default preset (p = 97, width 500, 30% train, AdamW lr 1e-3, weight decay 1)
# grokking: train accuracy 100% early, test accuracy ≥ 99% within 600 epochs.
# Usage: tests/cli/grok.sh path/to/superpose
set -uo pipefail
bin=$1
subcommand=(grok)
source "$(dirname "$0")/lib.sh"

expect_usage_error "p too small" "--p: p must be in [2, 257] (got 1)" --p 1
expect_usage_error "p not an integer" "--p" --p 9.5
expect_usage_error "width 0" "--width: width must be in [1, 4096] (got 0)" --width 0
expect_usage_error "train fraction 1" "--train-fraction: train_fraction must be in (0, 1) (got 1)" --train-fraction 1
expect_usage_error "train fraction NaN" "--train-fraction expects a finite number (got 'nan')" --train-fraction nan
expect_usage_error "tiny train set" "--train-fraction: train_fraction × p² must round" --p 3 --train-fraction 0.01
expect_usage_error "negative weight decay" "--weight-decay: weight_decay must be in [0, 10] (got -1)" --weight-decay -1
expect_usage_error "lr 0" "--lr: lr must be in (0, 10] (got 0)" --lr 0
expect_usage_error "epochs 0" "--epochs: epochs must be in [1, 1000000] (got 0)" --epochs 0
expect_usage_error "bad model" "--model must be one of mlp|residual (got 'transformer')" --model transformer
expect_usage_error "bad loss" "--loss must be one of mse|ce (got 'l1')" --loss l1
expect_usage_error "too large" "--p: p² × width" --p 257 --width 4096
expect_usage_error "unknown flag" "unknown flag --bogus" --bogus 1

if "$bin" grok --help | grep -q -- "--train-fraction"; then pass "help"; else fail "help"; fi

out=$("$bin" grok --p 11 --width 16 --epochs 20 --seed 3 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for key in ["config", "history", "epoch_train_100", "epoch_test_50", "epoch_test_99", "top_frequencies"]:
    assert key in d, key
c = d["config"]
assert c["p"] == 11 and c["width"] == 16 and c["epochs"] == 20 and c["seed"] == 3
assert c["model"] == "mlp" and c["loss"] == "mse" and c["train_fraction"] == 0.3 and c["weight_decay"] == 1
h = d["history"]
assert [e["epoch"] for e in h] == list(range(21)), [e["epoch"] for e in h]
for e in h:
    assert sorted(e) == ["epoch", "test_acc", "test_loss", "train_acc", "train_loss", "weight_norm"], sorted(e)
    assert 0 <= e["train_acc"] <= 1 and 0 <= e["test_acc"] <= 1 and e["weight_norm"] > 0
assert d["epoch_test_99"] is None  # 20 epochs: never reached, null
tf = d["top_frequencies"]
assert len(tf) == 5 and all(isinstance(k, int) and 1 <= k <= 5 for k in tf)
'; then pass "json keys; history every epoch; null when never reached"; else fail "json keys: $out"; fi

a=$("$bin" grok --p 11 --width 16 --epochs 20 --seed 3 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["history"])')
b=$("$bin" grok --p 11 --width 16 --epochs 20 --seed 3 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["history"])')
c=$("$bin" grok --p 11 --width 16 --epochs 20 --seed 4 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["history"])')
if [ "$a" = "$b" ] && [ "$a" != "$c" ]; then pass "seeded runs reproducible"; else fail "seeded runs"; fi

out=$("$bin" grok --model residual --loss ce --p 11 --width 16 --d-model 8 --epochs 10 --eval-every 5 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["config"]["model"] == "residual" and d["config"]["loss"] == "ce"
assert [e["epoch"] for e in d["history"]] == [0, 5, 10]
p = d["paths"]
assert set(p["ablated"]) == {"direct", "mlp"} and set(p["ablated"]["mlp"]) == {"zero", "mean", "resample"}
'; then pass "residual, ce, eval-every, paths"; else fail "residual: $out"; fi

# The full default preset groks (about 10 s of training natively).
if long_check "default preset groks within 600 epochs"; then
out=$("$bin" grok --epochs 600 --eval-every 10 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("      default preset: train 100%% at epoch %s, test 50%% at %s, 99%% at %s, %.1f s" % (
    d["epoch_train_100"], d["epoch_test_50"], d["epoch_test_99"], d["seconds"]))
assert d["epoch_train_100"] is not None and d["epoch_train_100"] <= 200
assert d["epoch_test_99"] is not None and d["epoch_test_99"] <= 600
assert d["epoch_train_100"] < d["epoch_test_50"]
last = d["history"][-1]
assert last["epoch"] == 600 and last["test_acc"] >= 0.99
'; then pass "default preset groks within 600 epochs"; else fail "default preset: ${out:0:300}"; fi
fi

# No weight decay, a small train fraction: memorises, does not generalise.
if long_check "no weight decay: memorisation gap"; then
out=$("$bin" grok --p 31 --width 64 --lr 3e-3 --weight-decay 0 --train-fraction 0.3 --epochs 400 --eval-every 20 --json)
if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
last = d["history"][-1]
assert last["train_acc"] == 1 and last["test_acc"] < 0.1, last
assert d["epoch_test_50"] is None
'; then pass "no weight decay: memorisation gap"; else fail "memorisation: ${out:0:300}"; fi
fi

if [ "$fails" -eq 0 ]; then echo "grok CLI: all passed"; else echo "grok CLI: $fails failed"; fi
[ "$fails" -eq 0 ]
