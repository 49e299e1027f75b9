#!/usr/bin/env bash
# Runs `cargo xtask conformance` on the Tokens spec, on every real-world spec
# in ../shared/specs/corpus and on the whole 2018 Genesys Cloud API (for
# these tags only: its crate of every tag takes long to build, and Prism
# can answer few of its operations), then prints a table. Exits 1 when any
# of them failed; each failure line is in that spec's output above.
#
# Usage: bash scripts/conformance.sh
set -euo pipefail
cd "$(dirname "$0")/.."
genesys_tags=(Tokens OAuth Authorization)

runs=("spec/tokens.yaml")
shopt -s nullglob
for spec in ../shared/specs/corpus/*.json ../shared/specs/corpus/*.yaml; do
  runs+=("$spec")
done
shopt -u nullglob
genesys=../shared/specs/genesys-publicapi-v2-2018-03-21.swagger.json
runs+=("$genesys")

cargo build --quiet -p xtask
rows=()
failed=0
for spec in "${runs[@]}"; do
  args=(--spec "$spec")
  if [ "$spec" = "$genesys" ]; then
    for tag in "${genesys_tags[@]}"; do args+=(--tag "$tag"); done
    args+=(--settings spec/codegen.toml)
  fi
  echo "==> $(basename "$spec")"
  start=$(date +%s)
  if out=$(cargo xtask conformance "${args[@]}" 2>&1); then result=ok; else result=FAILED; failed=1; fi
  printf '%s\n' "$out" | grep -v '^invalid example' || true
  invalid=$(printf '%s\n' "$out" | grep -c '^invalid example' || true)
  summary=$(printf '%s\n' "$out" | grep '^conformance: [0-9]' | tail -1 | sed 's/^conformance: //')
  rows+=("$(printf '%-40s %-40s %8s %6ss  %s' "$(basename "$spec")" "${summary:-none}" "$invalid" "$(($(date +%s) - start))" "$result")")
done
echo
printf '%-40s %-40s %8s %7s  %s\n' spec "passed/total" invalid time result
printf '%s\n' "${rows[@]}"
exit $failed
