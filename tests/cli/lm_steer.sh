#!/usr/bin/env bash
# The `superpose lm steer` CLI contract (issue 16): its flags and JSON keys, one-line errors with
# exit code 2, strength 0 changing nothing, --label picking the latent lm sae lists as that
# label's best (the same held-out windows), --latent taken as given, an SAE folder whose hook the
# model lacks refused by name; and on a model trained a little, steering along the latent matched
# to "cold" moves "the weather in california is" toward cold.
# --direction means (two prompt sets) and unit (e_J) steer without a latent, at --hook or the SAE's hook.
# Usage: tests/cli/lm_steer.sh path/to/superpose
set -uo pipefail
bin=$1
subcommand=(lm steer)
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The default architecture trained briefly (as tests/unit/lm_fixture), a small ReLU SAE on it.
# Under the sanitizers (long_check) a few steps of each: the contract checks need a model and an
# SAE folder, not a trained one; the checks that steering works need the full training.
steps=(400 600)
long_check "the trained model's steering (400 + 600 steps)" >/dev/null || steps=(20 30)
"$bin" lm train --steps "${steps[0]}" --batch 32 --train-tokens 100000 --heldout-tokens 10000 --save "$tmp/m" --json > /dev/null ||
  fail "lm train"
"$bin" lm sae --load "$tmp/m" --hook blocks.0.hook_resid_post --latents 64 --steps "${steps[1]}" --windows 256 --l1 2 \
  --save "$tmp/sae" --json > "$tmp/sae.json" || fail "lm sae"
prompt="the weather in california is"

expect_usage_error "neither latent nor label" "give one of --latent I or --label NAME" --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --strength 1
expect_usage_error "both latent and label" "give one of --latent I or --label NAME" --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --latent 1 --label cold --strength 1
expect_usage_error "no strength" "--strength S is required" --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --latent 1
expect_usage_error "strength 2000" "--strength must be in [-1000, 1000] (got 2000)" --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --latent 1 --strength 2000
expect_usage_error "latent 64" "--latent must be in [0, 63] (got 64)" --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --latent 64 --strength 1
expect_usage_error "unknown label" '--label: unknown label "warm" (labels: city, ' --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --label warm --strength 1
expect_usage_error "no sae" "--sae DIR2 is required" --load "$tmp/m" --prompt "$prompt" --latent 1 --strength 1
expect_usage_error "tokens -1" "--tokens must be in [0, 1000] (got -1)" --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --latent 1 --strength 1 --tokens -1
expect_usage_error "unknown word" '--prompt: unknown word "paris"' --load "$tmp/m" --sae "$tmp/sae" --prompt "the weather in paris is" --latent 1 --strength 1
expect_usage_error "sae folder missing" "--sae" --load "$tmp/m" --sae "$tmp/nothing" --prompt "$prompt" --latent 1 --strength 1
mkdir -p "$tmp/sae5" && cp "$tmp/sae/sae_weights.safetensors" "$tmp/sae5/" &&
  sed 's/blocks\.0\.hook_resid_post/blocks.5.hook_resid_post/g' "$tmp/sae/cfg.json" > "$tmp/sae5/cfg.json"
expect_usage_error "sae hook the model lacks" "blocks.5.hook_resid_post" --load "$tmp/m" --sae "$tmp/sae5" --prompt "$prompt" --latent 1 --strength 1
if "$bin" lm steer --help | grep -q -- "--label NAME"; then pass "steer help"; else fail "steer help"; fi

out=$("$bin" lm steer --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --label cold --strength 0 --tokens 6 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for key in ["latent", "scale", "before", "after", "text_before", "text_after"]:
    assert key in d, key
assert d["before"] == d["after"] and d["text_before"] == d["text_after"], "strength 0 changed something"
assert len(d["before"]) == 10 and all(set(e) == {"token", "p"} for e in d["before"])
assert all(d["before"][i]["p"] >= d["before"][i + 1]["p"] for i in range(9))
assert len(d["text_after"].split()) == 6, d["text_after"]
assert d["scale"] > 0 and d["hook"] == "blocks.0.hook_resid_post" and d["label"]["name"] == "predicts_cold"
'; then pass "steer json keys, strength 0 changes nothing"; else fail "steer json: $out"; fi

# --label cold = lm sae's best latent for predicts_cold (both measure 256 held-out windows, seed 0).
want=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([l["latent"] for l in d["labels"] if l["label"] == "predicts_cold"][0])' "$tmp/sae.json")
got=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["latent"])')
if [ "$want" = "$got" ]; then pass "label cold = lm sae's predicts_cold latent ($got)"; else fail "label cold: steer $got, lm sae $want"; fi

out=$("$bin" lm steer --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --latent 5 --strength 3 --from 0 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["latent"] == 5 and d["strength"] == 3
'; then pass "latent as given"; else fail "latent as given: $out"; fi

# Steering along the cold latent raises P(cold) after the prompt and lowers P(hot).
if long_check "steering along cold moves california toward cold"; then
out=$("$bin" lm steer --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --label cold --strength 8 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = lambda side, t: next((e["p"] for e in d[side] if e["token"] == t), 0.0)
print("   latent %d (P %.2f R %.2f): hot %.3f -> %.3f, cold %.3f -> %.3f" % (d["latent"], d["label"]["precision"],
      d["label"]["recall"], p("before", "hot"), p("after", "hot"), p("before", "cold"), p("after", "cold")))
assert p("after", "cold") > p("before", "cold") and p("after", "hot") < p("before", "hot")
'; then pass "steering along cold moves california toward cold"; else fail "steer cold: $out"; fi
fi
if "$bin" lm steer --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --label cold --strength 8 | grep -q "^after: "; then
  pass "steer text"; else fail "steer text"; fi

# The page's two other directions: the difference of two prompt sets' means, and a unit vector.
cold="the weather in oslo is; the weather in iceland is"
hot="the weather in california is; the weather in egypt is"
h=blocks.0.hook_resid_post
expect_usage_error "direction bad" "--direction must be latent, means or unit (got up)" --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction up --strength 1
expect_usage_error "means without prompts" "--direction means needs --prompts-a TEXT and --prompts-b TEXT" --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction means --prompts-a "$cold" --strength 1
expect_usage_error "means with latent" "--latent and --label go with --direction latent (got --direction means)" --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --direction means --prompts-a "$cold" --prompts-b "$hot" --latent 1 --strength 1
expect_usage_error "means without hook" "--direction means needs --sae DIR2 or --hook NAME" --load "$tmp/m" --prompt "$prompt" --direction means --prompts-a "$cold" --prompts-b "$hot" --strength 1
expect_usage_error "hook and sae" "give one of --sae DIR2 or --hook NAME" --load "$tmp/m" --sae "$tmp/sae" --hook "$h" --prompt "$prompt" --direction unit --unit 0 --strength 1
expect_usage_error "hook unknown" "--hook: " --load "$tmp/m" --hook blocks.9.hook_resid_post --prompt "$prompt" --direction unit --unit 0 --strength 1
expect_usage_error "unit out of range" "--unit must be in [0, " --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction unit --unit 100000 --strength 1
expect_usage_error "unit without --unit" "--direction unit needs --unit J" --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction unit --strength 1
expect_usage_error "prompt set unknown word" '--prompts-b: unknown word "paris"' --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction means --prompts-a "$cold" --prompts-b "the weather in paris is" --strength 1
expect_usage_error "prompt set empty" "--prompts-a holds no prompt" --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction means --prompts-a " ; " --prompts-b "$hot" --strength 1
# The keys always; that it moves toward cold only on the trained model (long_check).
trained=1
long_check "means moves california toward cold" || trained=0
out=$("$bin" lm steer --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction means --prompts-a "$cold" --prompts-b "$hot" --strength 2 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = lambda side, t: next((e["p"] for e in d[side] if e["token"] == t), 0.0)
print("   means (cold prompts - hot prompts) x 2: hot %.3f -> %.3f, cold %.3f -> %.3f" % (p("before", "hot"), p("after", "hot"), p("before", "cold"), p("after", "cold")))
assert d["direction"] == "means" and d["latent"] is None and d["label"] is None and d["scale"] == 1 and d["hook"] == "blocks.0.hook_resid_post"
assert sys.argv[1] == "0" or (p("after", "cold") > p("before", "cold") and p("after", "hot") < p("before", "hot"))
' "$trained"; then pass "means: cold prompts minus hot prompts moves california toward cold"; else fail "steer means: $out"; fi
out=$("$bin" lm steer --load "$tmp/m" --sae "$tmp/sae" --prompt "$prompt" --direction unit --unit 3 --strength 0 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["direction"] == "unit" and d["latent"] is None and d["scale"] == 1 and d["hook"] == "blocks.0.hook_resid_post"
assert d["before"] == d["after"], "strength 0 changed something"
'; then pass "unit: the SAE names the hook; strength 0 changes nothing"; else fail "steer unit: $out"; fi
out=$("$bin" lm steer --load "$tmp/m" --hook "$h" --prompt "$prompt" --direction unit --unit 3 --strength 50 --json)
if [ $? -eq 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["before"] != d["after"], "strength 50 along e_3 changed nothing"
'; then pass "unit: strength 50 changes the next-token distribution"; else fail "steer unit 50: $out"; fi

if [ "$fails" -eq 0 ]; then echo "lm steer CLI contract: all passed"; else echo "lm steer CLI contract: $fails failed"; fi
exit $((fails > 0))
