#!/usr/bin/env bash
# bench/fuzz: builds the fuzz targets (fuzz/, libFuzzer with ASan and UBSan, clang-14) and runs
# each for SECONDS (default 600) over a copy of its seed corpus (fuzz/corpus/NAME/, never
# changed) with its dictionary (fuzz/dict/NAME.dict) when there is one, one target after the
# other. Then prints a table: target, seconds, execs per second, coverage (libFuzzer's cov: and
# ft: of its last stats line) and the result: ok, or crash / leak / timeout / oom with the
# input that caused it. Exits non-zero when any target found something.
#
#   bench/fuzz.sh [--no-build] [SECONDS]
#
# Environment (all optional):
#   FUZZ_TARGETS     space-separated subset of the targets (default: every fuzz/NAME.cpp)
#   FUZZ_MAX_LEN     longest input tried, in bytes (default 65536: libFuzzer starts short and
#                    grows its inputs up to it, far enough for nesting thousands deep)
#   FUZZ_OUT         where logs, grown corpora and crash inputs go (default: a new /tmp/fuzz.XXXXXX)
#   FUZZ_BUILD_JOBS  parallel compile jobs of the build (default 2)
# scripts/test.sh runs it (suite fuzz) with a few seconds per target.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

BUILD=1
SECONDS_EACH=600
while [ $# -gt 0 ]; do
    case "$1" in
    --no-build) BUILD=0 ;;
    [0-9]*) SECONDS_EACH="$1" ;;
    *) die "usage: bench/fuzz.sh [--no-build] [SECONDS]" ;;
    esac
    shift
done

TARGETS=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
    read -r -a TARGETS <<<"$FUZZ_TARGETS"
else
    while IFS= read -r f; do TARGETS+=("$(basename "$f" .cpp)"); done < <(find "$REPO_ROOT/fuzz" -maxdepth 1 -name '*.cpp' | sort)
fi
[ ${#TARGETS[@]} -gt 0 ] || die "no fuzz targets in $REPO_ROOT/fuzz"

[ "$BUILD" = 1 ] && build_fuzz
for t in "${TARGETS[@]}"; do
    [ -x "$FUZZ_BUILD_DIR/fuzz/bin/fuzz_$t" ] || die "$FUZZ_BUILD_DIR/fuzz/bin/fuzz_$t is missing: build first (scripts/lib.sh build_fuzz)"
done

OUT="${FUZZ_OUT:-$(mktemp -d /tmp/fuzz.XXXXXX)}"
mkdir -p "$OUT"
log "fuzzing ${#TARGETS[@]} targets for ${SECONDS_EACH} s each; logs, corpora and findings in $OUT"

# A sanitiser finding stops the target with a stack trace; UBSan's too (-fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

ROWS=()
FAILED=0
for t in "${TARGETS[@]}"; do
    corpus="$OUT/corpus/$t"
    mkdir -p "$corpus" "$OUT/findings"
    [ -d "$REPO_ROOT/fuzz/corpus/$t" ] && cp -R "$REPO_ROOT/fuzz/corpus/$t/." "$corpus/"
    args=(-max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048
        -artifact_prefix="$OUT/findings/$t-")
    [ -f "$REPO_ROOT/fuzz/dict/$t.dict" ] && args+=(-dict="$REPO_ROOT/fuzz/dict/$t.dict")
    args+=(-max_len="${FUZZ_MAX_LEN:-65536}")
    log "fuzz_$t"
    start=$SECONDS
    rc=0
    "$FUZZ_BUILD_DIR/fuzz/bin/fuzz_$t" "${args[@]}" "$corpus" >"$OUT/$t.log" 2>&1 || rc=$?
    secs=$((SECONDS - start))

    stats="$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$OUT/$t.log" | tail -n 1 || true)"
    cov="$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$stats")"
    ft="$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$stats")"
    execs="$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$OUT/$t.log" | tail -n 1)"
    [ -n "$execs" ] || execs="$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$stats")"
    result=ok
    if [ "$rc" -ne 0 ]; then
        FAILED=$((FAILED + 1))
        if grep -q 'ERROR: LeakSanitizer' "$OUT/$t.log"; then
            result=leak
        elif grep -q 'ERROR: libFuzzer: timeout' "$OUT/$t.log"; then
            result=timeout
        elif grep -qE 'ERROR: libFuzzer: out-of-memory|ERROR: libFuzzer: malloc' "$OUT/$t.log"; then
            result=oom
        else
            result=crash
        fi
        # What it was: the exception that escaped, the sanitiser's word, or libFuzzer's.
        what="$(sed -nE "s/^terminate called after throwing an instance of '(.*)'/uncaught \1/p" "$OUT/$t.log" | head -n 1)"
        # A check of the target itself (std::abort() right in LLVMFuzzerTestOneInput): where.
        [ -n "$what" ] || what="$(grep -A1 -m1 ' in abort ' "$OUT/$t.log" |
            sed -nE 's/.* in LLVMFuzzerTestOneInput .*(fuzz\/[a-z_]+\.cpp:[0-9]+).*/check failed at \1/p')"
        [ -n "$what" ] || what="$(grep -m1 -oE 'runtime error: .{0,80}|ERROR: (AddressSanitizer|LeakSanitizer): [a-z-]+( on [a-z-]+)?|ERROR: libFuzzer: [a-z -]+' "$OUT/$t.log" || true)"
        artifact="$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$OUT/$t.log" | tail -n 1)"
        result="$result${what:+ ($what)} ${artifact:-(no input written)}; log $OUT/$t.log"
    fi
    ROWS+=("$(printf '%-20s %7s %10s %7s %7s  %s' "$t" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result")")
done

printf '\n%-20s %7s %10s %7s %7s  %s\n' target seconds "execs/s" cov ft result
printf '%s\n' "${ROWS[@]}"
if [ "$FAILED" -gt 0 ]; then
    printf '\n%d of %d targets found something: the inputs are in %s/findings\n' "$FAILED" "${#TARGETS[@]}" "$OUT"
    printf 'replay one: %s/fuzz/bin/fuzz_NAME INPUT\n' "$FUZZ_BUILD_DIR"
    exit 1
fi
[ -z "${FUZZ_OUT:-}" ] && rm -rf "$OUT"
exit 0
