#!/usr/bin/env bash
# Fuzzes every parser (DESIGN §11) with libFuzzer under ASan and UBSan:
#   scripts/fuzz.sh [SECONDS]     (default 60 per target)
# Configures a separate Clang build in build-fuzz (HP_FUZZ_BUILD overrides)
# where the libraries too carry the sanitizers, builds fuzz_<name>, and runs
# each for SECONDS on a copy of tests/fuzz/corpus/<name> (new inputs go to
# build-fuzz/corpus/<name>; the seed corpus in the tree is never written).
# Any crash, sanitizer report, leak or timeout fails the script; reproducers
# are left in build-fuzz/crashes/<name>/. A reproducer worth keeping goes into
# tests/fuzz/corpus/<name>/ once the parser is fixed, where tst_fuzz_<name>
# replays it in every build.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SECONDS_PER_TARGET=${1:-60}
HP_FUZZ_BUILD=${HP_FUZZ_BUILD:-$HP_ROOT/build-fuzz}
TARGETS=(proposal strictjson plan patch catalog dangeroustext)

hp_install_packages

# fuzzer-no-link gives the libraries the coverage instrumentation libFuzzer
# steers by (without it only the entry point is instrumented).
# -Werror stays off: Clang warns about things GCC's CI build does not, and
# this build exists to find crashes, not to re-lint.
CC=clang CXX=clang++ cmake -S "$HP_ROOT" -B "$HP_FUZZ_BUILD" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DHOLDPOINT_WERROR=OFF -DHOLDPOINT_FUZZ=ON >/dev/null
cmake --build "$HP_FUZZ_BUILD" -j2 --target "${TARGETS[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen HOLDPOINT_LOG_LEVEL=error

failed=()
for t in "${TARGETS[@]}"; do
  work="$HP_FUZZ_BUILD/corpus/$t"
  crashes="$HP_FUZZ_BUILD/crashes/$t"
  mkdir -p "$work" "$crashes"
  echo "== fuzz_$t for ${SECONDS_PER_TARGET}s"
  if ! "$HP_FUZZ_BUILD/tests/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$crashes/" "$work" "$HP_ROOT/tests/fuzz/corpus/$t" \
      >"$HP_FUZZ_BUILD/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t FAILED; log: $HP_FUZZ_BUILD/fuzz_$t.log; reproducers: $crashes"
    grep -E -m 20 'ERROR: |runtime error|SUMMARY|Test unit written' "$HP_FUZZ_BUILD/fuzz_$t.log" || true
    failed+=("$t")
  else
    grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "$HP_FUZZ_BUILD/fuzz_$t.log" | tail -2 || true
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]}"
  exit 1
fi
echo "all ${#TARGETS[@]} targets ran ${SECONDS_PER_TARGET}s without a crash"
