#!/usr/bin/env bash
# The layers of src/ (../shared/notes/architecture.md), checked on every #include "folder/...":
#   core/     includes only core/
#   io/       file formats only: includes only core/ (a mapping from a model to a format lives
#             beside the model it maps, e.g. sae/saelens_sae.hpp, toy/toy_export.hpp)
#   a model folder (every folder but core, io and the front ends) never includes session/,
#             cli/ or wasm/; session/ never includes cli/ or wasm/
# Not here: which model folder may use which (interp/ builds on toy/ and sae/, for instance).
# Usage: tests/layering.sh [src folder]   (exit 1 and one line per offending include)
set -uo pipefail
src=${1:-"$(dirname "$0")/../src"}
fails=0
check() {  # folder, allowed folders (space-separated, the folder itself always allowed)
  local folder=$1 allowed=" $1 $2 " file line dep
  [ -d "$src/$folder" ] || return 0
  while IFS=: read -r file line dep; do
    dep=${dep#*\"}
    dep=${dep%%/*}
    if [[ "$allowed" != *" $dep "* ]]; then
      echo "FAIL ${file#"$src"/}:$line includes $dep/ (src/$folder may include: $1 ${2:-nothing else})"
      fails=$((fails + 1))
    fi
  done < <(grep -rnoE '^#include "[A-Za-z0-9_]+/' "$src/$folder" --include='*.hpp' --include='*.cpp')
}
folders=$(cd "$src" && ls -d */ | tr -d /)
models=$(printf '%s\n' $folders | grep -vxE 'core|io|session|cli|wasm' | tr '\n' ' ')
check core ""
check io "core"
for m in $models; do check "$m" "core io $models"; done
check session "core io $models"
[ "$fails" -eq 0 ] && echo "ok   src/ layers: core ← io ← models ← session ← cli, wasm" || echo "$fails include(s) cross a layer"
exit $((fails > 0))
