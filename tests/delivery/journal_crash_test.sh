#!/usr/bin/env bash
# Crashes during a real send (D7, issue 14), with the crmhost binary sending through SMTP to the
# counting server of tests/http (counting_smtp.py: one line per recipient it accepted, on disk
# before its 250). Each case ends with the same checks: nobody received twice, nobody lost
# (received, or in doubt and listed), every row sent or in doubt, and sent rows received.
#
#   tests/delivery/journal_crash_test.sh BUILD_DIR CASE
#
#   kills          kill -9 of the sending process at random moments of the send, 22 times, with
#                  a restart each time: after each restart, at most one row more in doubt per
#                  connection (its journal says which); on CRMHOST_TEST_DB (sqlite or mysql).
#   lost-node      node alpha is killed and never comes back (its data folder is gone); node
#                  beta finishes the campaign once alpha's lease ran out; alpha's unrecorded
#                  rows are in doubt, at most its claim size per connection (README "Delivery").
#   mariadb-crash  kill -9 of mariadbd (a private server) in the middle of a send, and a
#                  restart: nobody twice, nobody lost.
#
# MariaDB cases use CRMHOST_TEST_MYSQL (a database of their own), mariadb-crash a private
# server (scripts/lib.sh start_mariadb). CRMHOST_TEST_TMP: where the work folder goes.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:?build folder}"
CASE="${2:?case}"
# shellcheck source=../../scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"
CRMHOST="$BUILD/bin/crmhost"
[ -x "$CRMHOST" ] || die "$CRMHOST is missing"

CONNECTIONS=4
BATCH=50
WORK="$(mktemp -d "${CRMHOST_TEST_TMP:-/tmp}/journal-crash.XXXXXX")"
PIDS=()
DB_KIND="${CRMHOST_TEST_DB:-sqlite}"
[ "$CASE" = mariadb-crash ] && DB_KIND=mysql
DB=""
OWN_SERVER=0
cleanup() {
    set +e
    local pid
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    if [ "$OWN_SERVER" = 1 ]; then
        stop_mariadb
    elif [ -n "$DB" ]; then
        sql -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null
    fi
    [ "${CRMHOST_TEST_KEEP:-0}" = 1 ] || rm -rf "$WORK"
    return 0
}
trap cleanup EXIT
fail() {
    warn "$CASE: $*"
    for log in "$WORK"/*.log; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
    done
    exit 1
}

if [ "$CASE" = mariadb-crash ]; then
    start_mariadb "$WORK/mariadb"
    OWN_SERVER=1
elif [ "$DB_KIND" = mysql ]; then
    [ -n "${CRMHOST_TEST_MYSQL:-}" ] || die "CRMHOST_TEST_MYSQL is not set"
fi
if [ "$DB_KIND" = mysql ]; then
    field() { sed -nE "s/(^|.*;)$1=([^;]*).*/\\2/p" <<<"$CRMHOST_TEST_MYSQL"; }
    DB_HOST="$(field host)" DB_PORT="$(field port)" DB_USER="$(field user)" DB_PASSWORD="$(field password)"
    sql() { mariadb --no-defaults --protocol=tcp -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" -p"$DB_PASSWORD" "$@"; }
    DB="crmhost_test_journal_$$"
    sql -e "CREATE DATABASE $DB"
    q() { sql -N "$DB" -e "$1"; }
    load() { sql "$DB" <"$1"; }
    CONNECT="db.connector = MySQL
db.connect = $CRMHOST_TEST_MYSQL;db=$DB"
else
    q() { sqlite3 -cmd ".timeout 20000" "$WORK/crm.db" "$1"; }
    load() { sqlite3 -cmd ".timeout 20000" "$WORK/crm.db" <"$1"; }
    CONNECT="db.connector = SQLite
db.connect = $WORK/crm.db"
fi

# The counting mail server.
/usr/bin/python3 "$REPO_ROOT/tests/http/counting_smtp.py" "$WORK/smtp.port" "$WORK/received" \
    >"$WORK/smtp.log" 2>&1 &
PIDS+=($!)
for ((i = 0; i < 100; i++)); do
    [ -s "$WORK/smtp.port" ] && break
    sleep 0.1
done
SMTP_PORT="$(cat "$WORK/smtp.port")"
touch "$WORK/received"

# write_config FILE NODE DATA_DIR
write_config() {
    cat >"$1" <<EOF
$CONNECT
data.dir = $3
modules.dir = $BUILD/modules
resources.dir = $REPO_ROOT
http.public_url = https://crm.journal.example
massmailing.transport = smtp
massmailing.smtp.host = 127.0.0.1
massmailing.smtp.port = $SMTP_PORT
massmailing.smtp.connections = $CONNECTIONS
massmailing.batch = $BATCH
massmailing.lease.seconds = 2
massmailing.retry.seconds = 1
massmailing.node = $2
EOF
}
write_config "$WORK/alpha.properties" alpha "$WORK/alpha-data"
write_config "$WORK/beta.properties" beta "$WORK/beta-data"
"$CRMHOST" --config "$WORK/alpha.properties" migrate >"$WORK/migrate.log" 2>&1 || fail "migrate failed"

# A campaign of TOTAL recipients due now, its rows queued.
TOTAL=$([ "$CASE" = kills ] && echo 6000 || echo 4000)
{
    echo "INSERT INTO host_groups (id, kind, name) VALUES (1, 'crm', 'Journal');"
    echo "INSERT INTO verified_domains (group_id, domain) VALUES (1, 'journal.example');"
    echo "INSERT INTO mm_campaigns (id, group_id, recipient_type, name, sender_name, sender_email, subject, html,
        text_body, status, scheduled_at) VALUES (1, 1, 'contacts', 'Crash', 'Journal', 'news@journal.example',
        'News for {{first_name}}', '<p>Hello {{first_name}},</p><p>News.</p>', '', 'scheduled',
        '$(date -u -d '-1 min' '+%F %T')');"
    awk -v n="$TOTAL" 'BEGIN {
        for (i = 1; i <= n; i++) {
            if (i % 500 == 1) printf "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, last_name, company, locale, dedupe_key, status) VALUES\n"
            a = sprintf("person%05d@example.org", i)
            printf "(1, 0, '\''person'\'', %d, '\''%s'\'', '\''Anna'\'', '\''Martin'\'', '\'''\'', '\''fr'\'', '\''%s'\'', '\''queued'\'')%s\n", i, a, a, (i % 500 == 0 || i == n) ? ";" : ","
        }
    }'
} >"$WORK/seed.sql"
load "$WORK/seed.sql" || fail "seeding failed"

received() { wc -l <"$WORK/received"; }
in_doubt() { q "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = 1 AND status = 'in_doubt'"; }
# send CONFIG LOG: a sending process in the background; its pid in SENDER.
send() {
    "$CRMHOST" --config "$1" task run massmailing.send --until-idle >>"$2" 2>&1 &
    SENDER=$!
    PIDS+=($SENDER)
}
wait_done() { # wait_done SECONDS
    local i
    for ((i = 0; i < $1 * 10; i++)); do
        [ "$(q "SELECT status FROM mm_campaigns WHERE id = 1")" = done ] && return 0
        sleep 0.1
    done
    fail "the campaign is not done after $1 s: $(q "SELECT status, COUNT(*) FROM mm_recipients GROUP BY status" | tr '\n' ' ')"
}
# Waits until the sink received at least N, or the process ended.
wait_received() { # wait_received N PID SECONDS
    local i
    for ((i = 0; i < $3 * 50; i++)); do
        [ "$(received)" -ge "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || return 0
        sleep 0.02
    done
}

# The checks every case ends with. MAX_DOUBT: the bound of the case.
check() {
    local max_doubt="$1" twice lost doubt sent unreceived
    twice="$(sort "$WORK/received" | uniq -d | head -n 5)"
    [ -z "$twice" ] || fail "received twice: $twice"
    q "SELECT status, COUNT(*) FROM mm_recipients WHERE campaign_id = 1 GROUP BY status" | tr '\t' '=' >"$WORK/statuses"
    q "SELECT email FROM mm_recipients WHERE campaign_id = 1 AND status = 'in_doubt' ORDER BY email" >"$WORK/doubt"
    q "SELECT email FROM mm_recipients WHERE campaign_id = 1 AND status = 'sent' ORDER BY email" >"$WORK/sent"
    doubt="$(wc -l <"$WORK/doubt")"
    sent="$(wc -l <"$WORK/sent")"
    [ $((sent + doubt)) = "$TOTAL" ] || fail "not all sent or in doubt: $(tr '\n' ' ' <"$WORK/statuses")"
    # Nobody lost: each one received, or in doubt.
    sort -u "$WORK/received" "$WORK/doubt" >"$WORK/accounted"
    lost=$((TOTAL - $(wc -l <"$WORK/accounted")))
    [ "$lost" = 0 ] || fail "$lost recipients neither received nor in doubt"
    # A row sent was received.
    unreceived="$(comm -23 "$WORK/sent" <(sort -u "$WORK/received") | head -n 5)"
    [ -z "$unreceived" ] || fail "sent but never received: $unreceived"
    [ "$doubt" -le "$max_doubt" ] || fail "$doubt in doubt, more than $max_doubt"
    echo "$CASE: $TOTAL recipients, $(received) received, $sent sent, $doubt in doubt (at most $max_doubt)"
}

case "$CASE" in
kills)
    KILLS=22
    previous=0
    for ((k = 1; k <= KILLS; k++)); do
        dead="$(find "$WORK/alpha-data/massmailing/journal" -name '*.journal' 2>/dev/null || true)"
        send "$WORK/alpha.properties" "$WORK/alpha.log"
        # The new process reads the dead one's journal first thing: the rows that kill left
        # in doubt are counted once its file is gone.
        if ((k > 1)); then
            for ((i = 0; i < 500; i++)); do
                left=0
                for file in $dead; do [ -e "$file" ] && left=1; done
                [ "$left" = 0 ] && break
                sleep 0.02
            done
            [ "$left" = 0 ] || fail "the journal of the process killed $((k - 1)) was not read"
            now="$(in_doubt)"
            ((now - previous <= CONNECTIONS)) || fail "kill $((k - 1)) left $((now - previous)) in doubt"
            previous=$now
        fi
        # A random moment of the send: after 1 to 250 more messages at the server.
        wait_received $(($(received) + 1 + RANDOM % 250)) "$SENDER" 20
        kill -0 "$SENDER" 2>/dev/null || fail "the sender ended before kill $k (done too soon?)"
        kill -9 "$SENDER"
        wait "$SENDER" 2>/dev/null || true
    done
    [ "$(received)" -lt "$TOTAL" ] || fail "the send was over before the last kill"
    send "$WORK/alpha.properties" "$WORK/alpha.log"
    wait_done 180
    wait "$SENDER" || fail "the last sender failed"
    check $((KILLS * CONNECTIONS))
    ;;
lost-node)
    send "$WORK/alpha.properties" "$WORK/alpha.log"
    wait_received 1500 "$SENDER" 60
    kill -9 "$SENDER"
    wait "$SENDER" 2>/dev/null || true
    rm -rf "$WORK/alpha-data" # never comes back: its journal with it
    send "$WORK/beta.properties" "$WORK/beta.log"
    wait_done 180
    wait "$SENDER" || fail "node beta failed"
    # Listed, with the reason.
    listed="$(q "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = 1 AND status = 'in_doubt' AND detail LIKE '%node alpha%'")"
    [ "$listed" = "$(in_doubt)" ] || fail "$(in_doubt) in doubt, $listed of them for node alpha"
    check $((BATCH * CONNECTIONS))
    ;;
mariadb-crash)
    send "$WORK/alpha.properties" "$WORK/alpha.log"
    wait_received 1500 "$SENDER" 60
    kill -9 "$MARIADB_PID"
    sleep 1
    # The same server again, on the same port: InnoDB recovers its log.
    setsid mariadbd --no-defaults --user=root --datadir="$MARIADB_DIR/data" --socket="$MARIADB_DIR/mysqld.sock" \
        --port="$MARIADB_PORT" --bind-address=127.0.0.1 --skip-networking=0 --pid-file="$MARIADB_DIR/mariadbd.pid" \
        --tmpdir="$MARIADB_DIR/tmp" --log-error="$MARIADB_DIR/mariadbd.err" --innodb-buffer-pool-size=64M \
        </dev/null >/dev/null 2>&1 &
    for ((i = 0; i < 600; i++)); do
        q "SELECT 1" >/dev/null 2>&1 && break
        sleep 0.1
    done
    MARIADB_PID="$(cat "$MARIADB_DIR/mariadbd.pid")"
    # The sender may have given up while the database was away: then another one.
    if ! kill -0 "$SENDER" 2>/dev/null; then
        wait "$SENDER" 2>/dev/null || true
        send "$WORK/alpha.properties" "$WORK/alpha.log"
    fi
    for ((i = 0; i < 1800; i++)); do
        [ "$(q "SELECT status FROM mm_campaigns WHERE id = 1")" = done ] && break
        if ! kill -0 "$SENDER" 2>/dev/null; then
            wait "$SENDER" 2>/dev/null || true
            send "$WORK/alpha.properties" "$WORK/alpha.log"
        fi
        sleep 0.1
    done
    wait_done 5
    check "$CONNECTIONS"
    ;;
*) die "unknown case $CASE" ;;
esac
