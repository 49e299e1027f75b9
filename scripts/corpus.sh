#!/usr/bin/env bash
# Generates a client from every real-world spec — each `*.json` / `*.yaml` in
# ../shared/specs/corpus (see its README) and the whole Genesys Cloud public
# API as published on 2018-03-21 (Swagger 2.0, 932 operations) — and checks
# that each emitted crate passes clippy and rustdoc with warnings denied, and
# that its runtime names no vendor.
#
# The generator reads each file as it is published. Every spec is checked,
# then a table is printed; the exit status is 1 when any of them failed.
#
# Usage: bash scripts/corpus.sh [SPEC...]   (default: all of them)
# The emitted crates share one target folder, $CORPUS_TARGET_DIR (default:
# target/emitted-crates), so their dependencies build once.
set -euo pipefail
given=()
for spec in "$@"; do
  given+=("$(realpath -m "$spec")")
done
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CORPUS_TARGET_DIR:-"$root/target/emitted-crates"}
bin="${CARGO_TARGET_DIR:-$root/target}/release/openapi-rust-codegen"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ${#given[@]} -gt 0 ]; then
  specs=("${given[@]}")
else
  shopt -s nullglob
  specs=("$root"/../shared/specs/corpus/*.json "$root"/../shared/specs/corpus/*.yaml
    "$root/../shared/specs/genesys-publicapi-v2-2018-03-21.swagger.json")
  shopt -u nullglob
fi
for spec in "${specs[@]}"; do
  if [ ! -f "$spec" ]; then
    echo "corpus: no spec at $spec" >&2
    exit 1
  fi
done

# The crate made from a spec: the file's name, lowercase, with every other
# character a hyphen.
crate_name() {
  local file
  file=$(basename "$1")
  printf '%s' "${file%.*}" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' '-' | sed 's/--*/-/g; s/^-//; s/-$//'
}
width=5
for spec in "${specs[@]}"; do
  name=$(crate_name "$spec")
  if [ ${#name} -gt $width ]; then width=${#name}; fi
done

now() { date +%s%N; }
# Seconds since $1 (from `now`), with milliseconds.
took() {
  local ms=$((($(now) - $1) / 1000000))
  printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

echo "==> building the generator"
cargo build --release --quiet -p openapi-rust-codegen

started=$(now)
rows=()
failed=()
for spec in "${specs[@]}"; do
  file=$(basename "$spec")
  name=$(crate_name "$spec")
  crate="$work/$name"
  log="$work/$name.log"
  echo "==> $file"
  gen_s=- warnings=- files=- paged=- clippy_s=- doc_s=-
  problems=()

  # The Genesys Cloud API is generated as its users would: with the
  # Genesys settings (regions, headers, its listings' pagination rule). The
  # other specs have none, so their runtime must name no vendor.
  settings=()
  case "$file" in
    genesys-*) settings=(--settings "$root/spec/codegen.toml") ;;
  esac
  t=$(now)
  if "$bin" --spec "$spec" "${settings[@]}" --out "$crate" --crate-name "$name" >/dev/null 2>"$work/$name.warnings"; then
    gen_s=$(took "$t")
    warnings=$(grep -c '^warning' "$work/$name.warnings" || true)
    paged=$(grep -o '^paged: [0-9]*' "$work/$name.warnings" | grep -o '[0-9]*$' || echo 0)
    files=$(find "$crate/src" -name '*.rs' | wc -l)
    # The runtime is generic: without settings it names no vendor. (The
    # spec's own text, in the models, APIs and security schemes, may.)
    runtime=()
    for part in client config exchange fields conventions error auth grants regions servers mock; do
      if [ -f "$crate/src/$part.rs" ]; then runtime+=("$crate/src/$part.rs"); fi
    done
    # The crate's own name (which may be the vendor's) does not count.
    if [ ${#settings[@]} -eq 0 ] && sed "s/$name//g; s/${name//-/_}//g" "${runtime[@]}" |
      grep -iE 'genesys|purecloud|mypurecloud|inin-|pure\.cloud' >"$work/$name.vendor"; then
      problems+=(vendor-text)
      sed 's/^/vendor text: /' "$work/$name.vendor" >>"$log"
    fi
    cp "$root/Cargo.lock" "$crate/Cargo.lock"
    t=$(now)
    (cd "$crate" && CARGO_TARGET_DIR="$target" cargo clippy --quiet --all-features --all-targets -- -D warnings) >"$log" 2>&1 ||
      problems+=(clippy)
    clippy_s=$(took "$t")
    t=$(now)
    (cd "$crate" && CARGO_TARGET_DIR="$target" RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps) >>"$log" 2>&1 ||
      problems+=(doc)
    doc_s=$(took "$t")
  else
    gen_s=$(took "$t")
    cp "$work/$name.warnings" "$log"
    problems+=(generation)
  fi
  result=ok
  if [ ${#problems[@]} -gt 0 ]; then
    result="${problems[*]} failed"
    failed+=("$name")
    echo "--- $name: $result" >&2
    grep -E '^error' -A8 "$log" | head -60 >&2 || head -60 "$log" >&2
  fi
  rows+=("$(printf "%-${width}s %8s %8s %6s %6s %10s %8s  %s" "$name" "$gen_s" "$warnings" "$files" "$paged" "$clippy_s" "$doc_s" "$result")")
done

echo
printf "%-${width}s %8s %8s %6s %6s %10s %8s  %s\n" crate "gen (s)" warnings files paged "clippy (s)" "doc (s)" result
for row in "${rows[@]}"; do
  echo "$row"
done
echo "total: $(took "$started") s for ${#specs[@]} specs, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
