# What the CLI contract scripts (tests/cli/*.sh) share; sourced after they set `bin` (the
# superpose binary) and `subcommand` (an array: the words every expect_usage_error call starts
# with, e.g. (grok), or () when each call names its command). Each script counts `fails` and ends
# with its own summary.
fails=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

# A usage error: exit code 2 and exactly one line on stderr that contains the expected text.
expect_usage_error() {  # name, expected substring, args...
  local name=$1 want=$2
  shift 2
  local err code
  err=$("$bin" "${subcommand[@]}" "$@" 2>&1 >/dev/null)
  code=$?
  if [ "$code" -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ "$err" == *"$want"* ]]; then
    pass "$name"
  else
    fail "$name: exit $code, stderr: $err"
  fi
}

# A check that rests on a long training: a result (grokking, steering a trained model), not the
# contract (flags, errors, JSON keys). scripts/test-sanitize sets SUPERPOSE_SANITIZED=1: under
# ASan + UBSan, about ten times slower, such checks are left to the plain native CTest run, which
# runs every check (as the sanitized run leaves out the slow doctest suite). Use:
#   if long_check "name"; then ...; fi
long_check() {  # name
  if [ "${SUPERPOSE_SANITIZED:-0}" = 1 ]; then
    echo "skip $1 (a long training: checked by the plain native run, not under the sanitizers)"
    return 1
  fi
}
