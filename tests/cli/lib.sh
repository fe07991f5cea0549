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
