#!/usr/bin/env bash
# Runs every test suite of the project on a fresh Debian 12 machine, or again on one already set up:
# installs the missing Debian packages (and the browser tests' npm packages), builds, checks the
# formatting, starts a private MariaDB server on 127.0.0.1, runs the CppUnit suites through ctest
# and the browser tests (tests/browser/*.test.mjs) with node, builds the fuzz targets (clang-14,
# build-fuzz/) and runs each for a few seconds (bench/fuzz.sh), stops everything it started and
# prints a summary. Exits non-zero if any step or suite failed.
#
# Environment (all optional):
#   TEST_CTEST_LIMIT    time limit for the whole ctest run          (default 40m)
#   TEST_BROWSER_LIMIT  time limit for each browser test script     (default 10m)
#   TEST_FUZZ_SECONDS   seconds each fuzz target runs               (default 15)
#   TEST_ONLY           space-separated subset of: format ctest browser fuzz
#   KEEP_TMP=1          keep the temporary folder (MariaDB's log, the suites' logs) for a look
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"
cd "$REPO_ROOT"

TEST_CTEST_LIMIT="${TEST_CTEST_LIMIT:-40m}"
TEST_BROWSER_LIMIT="${TEST_BROWSER_LIMIT:-10m}"
TEST_FUZZ_SECONDS="${TEST_FUZZ_SECONDS:-15}"
TEST_ONLY="${TEST_ONLY:-format ctest browser fuzz}"

# ---------------------------------------------------------------- bookkeeping
ROW_NAMES=()   # steps and suites, in order
ROW_RESULTS=() # ok / PASS / FAIL / not run / INTERRUPTED
ROW_SECS=()
ROW_NOTES=()
CURRENT_NAME=""   # the step or suite running now
CURRENT_START=0
CURRENT_PGID=""   # the process group of the suite running now
TAIL_PID=""
TEST_TMP=""
SUITE_FAILURES=0

record() { # NAME RESULT SECONDS NOTE
    ROW_NAMES+=("$1")
    ROW_RESULTS+=("$2")
    ROW_SECS+=("$3")
    ROW_NOTES+=("${4:-}")
}

want() { [[ " $TEST_ONLY " == *" $1 "* ]]; }

# step NAME COMMAND...: a set-up step; when it fails the script stops (set -e), and the EXIT trap
# reports this step as the one that failed.
step() {
    local name="$1"
    shift
    printf '\n######## step: %s\n' "$name"
    CURRENT_NAME="$name"
    CURRENT_START=$SECONDS
    "$@"
    record "$name" ok $((SECONDS - CURRENT_START))
    CURRENT_NAME=""
}

# suite NAME LIMIT COMMAND...: a test suite, in its own process group (timeout(1) makes one), so
# that it and everything it started can be stopped together. Its failure is counted, and the
# script goes on with the next suite.
suite() {
    local name="$1" limit="$2"
    shift 2
    printf '\n######## suite: %s\n' "$name"
    local log
    log="$TEST_TMP/logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_').log"
    CURRENT_NAME="$name"
    CURRENT_START=$SECONDS
    timeout --kill-after=30s "$limit" "$@" </dev/null >"$log" 2>&1 &
    CURRENT_PGID=$!
    tail -n +1 -f --pid="$CURRENT_PGID" "$log" &
    TAIL_PID=$!
    local rc=0
    wait "$CURRENT_PGID" || rc=$?
    wait "$TAIL_PID" || true
    TAIL_PID=""
    # Whatever the suite left running (a server a test forgot) goes with it.
    kill -KILL -- "-$CURRENT_PGID" 2>/dev/null || true
    CURRENT_PGID=""
    local secs=$((SECONDS - CURRENT_START)) note=""
    CURRENT_NAME=""
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        note="timed out after $limit"
    fi
    if [[ "$name" == ctest ]]; then
        local line
        line="$(grep -E 'tests passed, [0-9]+ tests? failed out of' "$log" | tail -n 1 || true)"
        [ -n "$line" ] && note="${note:+$note; }$line"
        grep -q 'No tests were found' "$log" && note="${note:+$note; }no tests were found"
    fi
    if [[ "$name" == fuzz ]]; then
        local found
        found="$(grep -E 'targets found something' "$log" | tail -n 1 || true)"
        [ -n "$found" ] && note="${note:+$note; }${found%%:*} (KEEP_TMP=1 keeps the inputs)"
    fi
    if [ "$rc" -eq 0 ]; then
        record "$name" PASS "$secs" "$note"
    else
        record "$name" FAIL "$secs" "${note:-exit code $rc}"
        SUITE_FAILURES=$((SUITE_FAILURES + 1))
    fi
}

print_summary() {
    local i passed=0 failed=0 skipped=0
    printf '\n======================== test summary ========================\n'
    printf '  %-34s %-12s %6s  %s\n' "step / suite" result time note
    for i in "${!ROW_NAMES[@]}"; do
        printf '  %-34s %-12s %5ss  %s\n' "${ROW_NAMES[$i]}" "${ROW_RESULTS[$i]}" "${ROW_SECS[$i]}" \
            "${ROW_NOTES[$i]}"
        case "${ROW_RESULTS[$i]}" in
        ok | PASS) passed=$((passed + 1)) ;;
        "not run") skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1)) ;;
        esac
    done
    printf '==============================================================\n'
    printf 'summary: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
}

PLANNED=() # suites still to come, shown as "not run" when the script stops early

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    set +e
    if [ -n "$CURRENT_PGID" ]; then
        kill -TERM -- "-$CURRENT_PGID" 2>/dev/null
        local i
        for ((i = 0; i < 50; i++)); do
            kill -0 -- "-$CURRENT_PGID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$CURRENT_PGID" 2>/dev/null
        wait "$CURRENT_PGID" 2>/dev/null
    fi
    [ -n "$TAIL_PID" ] && kill "$TAIL_PID" 2>/dev/null
    stop_mariadb
    # A private Postfix that a killed test could not stop (tests/support/postfix_loopback.sh).
    [ -n "$TEST_TMP" ] && CRMHOST_TEST_TMP="$TEST_TMP" "$REPO_ROOT/tests/support/postfix_loopback.sh" stop-all
    if [ -n "$CURRENT_NAME" ]; then
        local why=FAIL
        [ "$rc" -ge 129 ] && why=INTERRUPTED
        record "$CURRENT_NAME" "$why" $((SECONDS - CURRENT_START)) "the script stopped here (exit code $rc)"
        printf '\n!!! %s: %s (exit code %d)\n' "$CURRENT_NAME" "$why" "$rc" >&2
    fi
    local s
    for s in "${PLANNED[@]}"; do
        record "$s" "not run" 0 ""
    done
    if [ -n "$TEST_TMP" ]; then
        if [ "${KEEP_TMP:-}" = 1 ]; then
            echo "kept the temporary folder $TEST_TMP"
        else
            rm -rf "$TEST_TMP"
        fi
    fi
    print_summary
    [ "$rc" -eq 0 ] && [ "$SUITE_FAILURES" -gt 0 ] && rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Planned suites, so that a stop before them shows them as not run.
want format && PLANNED+=(format)
want ctest && PLANNED+=(ctest)
BROWSER_TESTS=()
if want browser && [ -d tests/browser ]; then
    while IFS= read -r f; do BROWSER_TESTS+=("$f"); done < <(find tests/browser -maxdepth 1 -name '*.test.mjs' | sort)
fi
for f in "${BROWSER_TESTS[@]}"; do PLANNED+=("browser: $(basename "$f")"); done
want fuzz && PLANNED+=(fuzz)
unplan() { # NAME: it is running now, so no longer planned
    local out=() s
    for s in "${PLANNED[@]}"; do [ "$s" = "$1" ] || out+=("$s"); done
    PLANNED=("${out[@]}")
}

TEST_TMP="$(mktemp -d)"
mkdir -p "$TEST_TMP/logs"
export CRMHOST_TEST_TMP="$TEST_TMP"

# ---------------------------------------------------------------- set-up
step "install Debian packages" ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # Debian's /usr/bin/chromium, never a downloaded one
export CHROMIUM_BIN=/usr/bin/chromium
npm_install() {
    cd "$REPO_ROOT/tests/browser"
    local stamp=node_modules/.package-lock.json
    if [ -f "$stamp" ] && [ "$stamp" -nt package.json ] && { [ ! -f package-lock.json ] || [ "$stamp" -nt package-lock.json ]; }; then
        echo "node_modules is up to date"
    elif [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund
    else
        npm install --no-audit --no-fund
    fi
    cd "$REPO_ROOT"
}
if [ ${#BROWSER_TESTS[@]} -gt 0 ] && [ -f tests/browser/package.json ]; then
    step "npm packages (tests/browser)" npm_install
fi

format_check() {
    local dirs=() d
    for d in host-sdk plugin tests bench fuzz; do [ -d "$d" ] && dirs+=("$d"); done
    local files=()
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find "${dirs[@]}" -name node_modules -prune -o \
        -type f \( -name '*.h' -o -name '*.cpp' \) -print0 | sort -z)
    echo "clang-format --dry-run --Werror on ${#files[@]} files"
    [ ${#files[@]} -eq 0 ] || clang-format --dry-run --Werror "${files[@]}"
}
if want format; then
    unplan format
    # timeout(1) runs programs, not functions: hand the function to a child bash.
    export -f format_check
    # shellcheck disable=SC2016
    suite format 5m bash -c 'cd "$REPO_ROOT" && format_check'
fi

step build build
want fuzz && step "build (fuzz)" build_fuzz

# ---------------------------------------------------------------- the suites
export CRMHOST_BIN="$BUILD_DIR/bin/crmhost"
export CRMHOST_MODULES_DIR="$BUILD_DIR/modules"
export PYTHON=/usr/bin/python3

if want ctest || [ ${#BROWSER_TESTS[@]} -gt 0 ]; then
    step "start MariaDB" start_mariadb "$TEST_TMP/mariadb"
fi

if want ctest; then
    unplan ctest
    suite ctest "$TEST_CTEST_LIMIT" ctest --test-dir "$BUILD_DIR" --output-on-failure -j1 \
        --no-tests=error --timeout 900
fi

for f in "${BROWSER_TESTS[@]}"; do
    name="browser: $(basename "$f")"
    unplan "$name"
    suite "$name" "$TEST_BROWSER_LIMIT" node "$REPO_ROOT/$f"
done

# Each fuzz target for a few seconds over its corpus; a crash or a sanitiser finding fails.
# Inputs up to 8 KB: enough for every seed, and the short run is spent on many inputs, not on
# a few huge ones (bench/fuzz.sh without the cap, for as long as asked, looks further).
if want fuzz; then
    unplan fuzz
    suite fuzz 10m env FUZZ_MAX_LEN=8192 FUZZ_OUT="$TEST_TMP/fuzz" "$REPO_ROOT/bench/fuzz.sh" --no-build \
        "$TEST_FUZZ_SECONDS"
fi

CURRENT_NAME=""
# The EXIT trap prints the summary and sets the exit code.
