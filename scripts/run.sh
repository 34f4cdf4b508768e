#!/usr/bin/env bash
# Runs the product on this machine: installs the missing Debian packages, builds, writes a
# configuration (embedded SQLite database, outbox transport) if there is none, migrates, fills the
# database with demo data the first time, prints how to log in and serves on http://127.0.0.1:8080.
#
# Environment (all optional):
#   RUN_PORT (or PORT)  the HTTP port                                   (default 8080)
#   RUN_DIR             the folder for configuration and data           (default ./var of the repository)
#   RUN_SKIP_BUILD=1    neither install packages nor build: use build/ as it is
#   RUN_CONFIG_EXTRA    lines added to the configuration when it is written (KEY = VALUE ...)
#   RUN_PEOPLE          people of the demo data, on the first run        (default 1000)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

RUN_DIR="${RUN_DIR:-$REPO_ROOT/var}"
mkdir -p "$RUN_DIR"
RUN_DIR="$(cd "$RUN_DIR" && pwd)" # absolute, before anything changes the working folder
WANTED_PORT="${RUN_PORT:-${PORT:-}}"
cd "$REPO_ROOT"

CRMHOST="$BUILD_DIR/bin/crmhost"
CONFIG="$RUN_DIR/crmhost.properties"
DATA="$RUN_DIR/data"

if [ "${RUN_SKIP_BUILD:-}" != 1 ]; then
    log "checking the Debian packages the build needs"
    ensure_packages "${BUILD_PACKAGES[@]}"
    build || die "the build failed (see above)"
fi
[ -x "$CRMHOST" ] || die "$CRMHOST is missing: build first (cmake -S . -B build && cmake --build build -j2)"
[ -f "$BUILD_DIR/modules/libmassmailing.so" ] || warn "$BUILD_DIR/modules/libmassmailing.so is missing"

mkdir -p "$DATA/outbox"
if [ ! -f "$CONFIG" ]; then
    log "writing $CONFIG"
    cat >"$CONFIG" <<EOF
# crmhost configuration written by scripts/run.sh; edit freely, it is not overwritten
# (only http.port follows RUN_PORT when that is set).
db.connector = SQLite
db.connect = $DATA/crmhost.db
data.dir = $DATA
modules.dir = $BUILD_DIR/modules
resources.dir = $REPO_ROOT
http.address = 127.0.0.1
http.port = ${WANTED_PORT:-8080}
massmailing.transport = outbox
massmailing.outbox.dir = $DATA/outbox
EOF
    # Lines a caller adds to a new configuration (the browser tests: a short machine window).
    if [ -n "${RUN_CONFIG_EXTRA:-}" ]; then printf '%s\n' "$RUN_CONFIG_EXTRA" >>"$CONFIG"; fi
fi

# config_value KEY: the value of KEY in the configuration (last one wins, as in Poco).
config_value() {
    local key="${1//./\\.}"
    sed -nE "s/^[[:space:]]*${key}[[:space:]]*[=:][[:space:]]*(.*[^[:space:]])?[[:space:]]*\$/\\1/p" "$CONFIG" | tail -n 1
}

if [ -n "$WANTED_PORT" ] && [ "$(config_value http.port)" != "$WANTED_PORT" ]; then
    log "setting http.port = $WANTED_PORT in $CONFIG"
    if grep -qE '^[[:space:]]*http\.port[[:space:]]*[=:]' "$CONFIG"; then
        sed -i -E "s/^([[:space:]]*http\\.port[[:space:]]*[=:][[:space:]]*).*/\\1$WANTED_PORT/" "$CONFIG"
    else
        echo "http.port = $WANTED_PORT" >>"$CONFIG"
    fi
fi
PORT_NOW="$(config_value http.port)"
ADDRESS="$(config_value http.address)"
case "$ADDRESS" in "" | 0.0.0.0 | "*") ADDRESS=127.0.0.1 ;; esac
URL="http://$ADDRESS:${PORT_NOW:-8080}"

if (exec 3<>"/dev/tcp/$ADDRESS/${PORT_NOW:-8080}") 2>/dev/null; then
    die "something already listens on $ADDRESS:${PORT_NOW:-8080}: stop it, or choose another port with RUN_PORT=..."
fi

log "migrating the database"
"$CRMHOST" --config "$CONFIG" migrate || die "crmhost migrate failed"

ADMIN_FILE="$DATA/admin.txt"
if [ ! -f "$DATA/.seeded" ]; then
    log "filling the database with demo data (first run only)"
    seed_out="$("$CRMHOST" --config "$CONFIG" seed-demo ${RUN_PEOPLE:+--people "$RUN_PEOPLE"})" ||
        {
            printf '%s\n' "$seed_out" >&2
            die "crmhost seed-demo failed; to start again from nothing, remove $DATA"
        }
    printf '%s\n' "$seed_out"
    # Keep the lines that tell the administrator's login and password, to show them on every run.
    (
        umask 077
        printf '%s\n' "$seed_out" | grep -iE 'login|password' >"$ADMIN_FILE" ||
            printf '%s\n' "$seed_out" >"$ADMIN_FILE"
    )
    touch "$DATA/.seeded"
fi

# The administrator's login and password, from the line that names the administrator (else the
# first line): "Administrator: login admin, password secret", "login: admin", "password=secret"...
admin_line() {
    [ -f "$ADMIN_FILE" ] || return 0
    { grep -i 'admin' "$ADMIN_FILE" || cat "$ADMIN_FILE"; } | head -n 1
}
admin_field() {
    admin_line | sed -nE "s/.*\\b$1\\b[[:space:]]*[:=]?[[:space:]]*([^[:space:],;]+).*/\\1/Ip"
}
LOGIN="$(admin_field login)"
PASSWORD="$(admin_field password)"

echo
echo "================================================================"
if [ -n "$LOGIN" ] && [ -n "$PASSWORD" ]; then
    echo "Open $URL and log in as $LOGIN / $PASSWORD"
    if [ "$(wc -l <"$ADMIN_FILE")" -gt 1 ]; then
        echo "Demo accounts (kept in $ADMIN_FILE):"
        sed 's/^/    /' "$ADMIN_FILE"
    fi
else
    echo "Open $URL and log in with:"
    sed 's/^/    /' "$ADMIN_FILE" 2>/dev/null || echo "    (no login recorded: see $ADMIN_FILE)"
fi
echo "Mail is not sent: it is written to $(config_value massmailing.outbox.dir)"
echo "Configuration: $CONFIG    (stop the server with Ctrl-C)"
echo "================================================================"
echo

exec "$CRMHOST" --config "$CONFIG" serve
