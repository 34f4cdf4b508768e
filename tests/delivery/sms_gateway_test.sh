#!/usr/bin/env bash
# SMS through the HTTP gateway (issue 15), with the crmhost binary serving and sending, against
# the stand-in gateway sms_gateway.py (it checks each request's format and authentication,
# answers with an id, then posts signed delivery reports to the host's webhook). Each case ends
# with the same checks: nobody received twice, nobody lost (received, or in doubt and listed),
# every row received has the status its report gave (delivered: sent; failed: bounced with the
# gateway's reason), and the gateway found no malformed request.
#
#   tests/delivery/sms_gateway_test.sh BUILD_DIR CASE
#
#   send   one send of TOTAL SMS, then every report in.
#   kills  kill -9 of the host at random moments of the send, 8 times, with a restart each
#          time: the reports the gateway could not post meanwhile are posted again, and a row
#          left in doubt by a kill becomes sent when its report says the gateway had it.
#
# On CRMHOST_TEST_DB (sqlite or mysql: CRMHOST_TEST_MYSQL, a database of its own).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:?build folder}"
CASE="${2:?case}"
# shellcheck source=../../scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"
CRMHOST="$BUILD/bin/crmhost"
[ -x "$CRMHOST" ] || die "$CRMHOST is missing"

TOKEN="gw-token-$$"
SECRET="report-secret-$$"
WORK="$(mktemp -d "${CRMHOST_TEST_TMP:-/tmp}/sms-gateway.XXXXXX")"
PIDS=()
DB_KIND="${CRMHOST_TEST_DB:-sqlite}"
DB=""
cleanup() {
    set +e
    local pid
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    [ -n "$DB" ] && sql -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null
    [ "${CRMHOST_TEST_KEEP:-0}" = 1 ] || rm -rf "$WORK"
    return 0
}
trap cleanup EXIT
fail() {
    warn "sms $CASE ($DB_KIND): $*"
    for log in "$WORK"/*.log "$WORK"/received.errors; do
        [ -s "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
    done
    exit 1
}

if [ "$DB_KIND" = mysql ]; then
    [ -n "${CRMHOST_TEST_MYSQL:-}" ] || die "CRMHOST_TEST_MYSQL is not set"
    field() { sed -nE "s/(^|.*;)$1=([^;]*).*/\\2/p" <<<"$CRMHOST_TEST_MYSQL"; }
    DB_HOST="$(field host)" DB_PORT="$(field port)" DB_USER="$(field user)" DB_PASSWORD="$(field password)"
    sql() { mariadb --no-defaults --protocol=tcp -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" -p"$DB_PASSWORD" "$@"; }
    DB="crmhost_test_sms_$$"
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

HTTP_PORT="$(free_port)"
/usr/bin/python3 "$REPO_ROOT/tests/delivery/sms_gateway.py" "$WORK/gateway.port" "$WORK/received" "$TOKEN" \
    "$SECRET" "http://127.0.0.1:$HTTP_PORT/p/massmailing/sms/reports" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
for ((i = 0; i < 100; i++)); do
    [ -s "$WORK/gateway.port" ] && break
    sleep 0.1
done
GATEWAY_PORT="$(cat "$WORK/gateway.port")"
touch "$WORK/received" "$WORK/received.errors"

cat >"$WORK/crmhost.properties" <<EOF
$CONNECT
data.dir = $WORK/data
modules.dir = $BUILD/modules
resources.dir = $REPO_ROOT
http.address = 127.0.0.1
http.port = $HTTP_PORT
http.public_url = http://127.0.0.1:$HTTP_PORT
massmailing.sms.transport = http
massmailing.sms.from = Studio
massmailing.sms.http.url = http://127.0.0.1:$GATEWAY_PORT/send
massmailing.sms.http.auth = bearer
massmailing.sms.http.password = $TOKEN
massmailing.sms.report.password = $SECRET
massmailing.smtp.connections = 4
massmailing.batch = 50
massmailing.lease.seconds = 2
massmailing.retry.seconds = 1
massmailing.node = alpha
EOF
"$CRMHOST" --config "$WORK/crmhost.properties" migrate >"$WORK/migrate.log" 2>&1 || fail "migrate failed"

# An SMS campaign of TOTAL numbers due now, its rows queued; the numbers ending in 13 fail.
TOTAL=$([ "$CASE" = kills ] && echo 3000 || echo 1200)
{
    echo "INSERT INTO host_groups (id, kind, name) VALUES (1, 'studio', 'Studio');"
    echo "INSERT INTO mm_campaigns (id, group_id, channel, recipient_type, name, sender_name, sender_email, subject,
        html, text_body, status, scheduled_at) VALUES (1, 1, 'sms', 'members', 'SMS', 'Studio', '', '', '',
        'Bonjour {{first_name}}, le cours de demain est à 18h. Réponds STOP pour ne plus recevoir de SMS.',
        'scheduled', '$(date -u -d '-1 min' '+%F %T')');"
    awk -v n="$TOTAL" 'BEGIN {
        for (i = 1; i <= n; i++) {
            if (i % 500 == 1) printf "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, last_name, company, locale, dedupe_key, status) VALUES\n"
            a = sprintf("+336%08d", i)
            printf "(1, 0, '\''person'\'', %d, '\''%s'\'', '\''Zoé'\'', '\''Martin'\'', '\'''\'', '\''fr'\'', '\''%s'\'', '\''queued'\'')%s\n", i, a, a, (i % 500 == 0 || i == n) ? ";" : ","
        }
    }'
} >"$WORK/seed.sql"
load "$WORK/seed.sql" || fail "seeding failed"

received() { wc -l <"$WORK/received"; }
serve() {
    "$CRMHOST" --config "$WORK/crmhost.properties" serve >>"$WORK/crmhost.log" 2>&1 &
    SERVER=$!
    PIDS+=($SERVER)
}
wait_done() { # wait_done SECONDS
    local i
    for ((i = 0; i < $1 * 10; i++)); do
        [ "$(q "SELECT status FROM mm_campaigns WHERE id = 1")" = done ] && return 0
        sleep 0.1
    done
    fail "the campaign is not done after $1 s: $(q "SELECT status, COUNT(*) FROM mm_recipients GROUP BY status" | tr '\n' ' ')"
}
# Every SMS the gateway took has its report in the database.
wait_reported() { # wait_reported SECONDS
    local i taken reported
    for ((i = 0; i < $1 * 10; i++)); do
        taken="$(received)"
        reported="$(q "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = 1 AND report <> ''")"
        [ "$reported" -ge "$taken" ] && return 0
        sleep 0.1
    done
    fail "$reported rows reported of $taken SMS taken after $1 s"
}

check() {
    local twice lost doubt unreported wrong
    [ ! -s "$WORK/received.errors" ] || fail "the gateway refused malformed requests: $(head -n 3 "$WORK/received.errors")"
    cut -f1 "$WORK/received" | sort >"$WORK/numbers"
    twice="$(uniq -d "$WORK/numbers" | head -n 5)"
    [ -z "$twice" ] || fail "received twice: $twice"
    q "SELECT status, report, COUNT(*) FROM mm_recipients WHERE campaign_id = 1 GROUP BY status, report" | tr '\t|\n' '== ' >"$WORK/statuses"
    q "SELECT email FROM mm_recipients WHERE campaign_id = 1 AND status = 'in_doubt' ORDER BY email" >"$WORK/doubt"
    doubt="$(wc -l <"$WORK/doubt")"
    # Nobody lost: each one received, or in doubt.
    lost=$((TOTAL - $(sort -u "$WORK/numbers" "$WORK/doubt" | wc -l)))
    [ "$lost" = 0 ] || fail "$lost numbers neither received nor in doubt: $(cat "$WORK/statuses")"
    # A number in doubt was never taken by the gateway: its report would have settled it.
    [ -z "$(comm -12 "$WORK/doubt" "$WORK/numbers" | head -n 1)" ] || fail "a number taken by the gateway is still in doubt"
    # The statuses are the reports': delivered rows sent, the numbers ending in 13 bounced with the reason.
    unreported="$(q "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = 1 AND status <> 'in_doubt' AND report = ''")"
    [ "$unreported" = 0 ] || fail "$unreported rows without their report: $(cat "$WORK/statuses")"
    wrong="$(q "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = 1 AND status <> 'in_doubt' AND NOT (
        (email LIKE '%13' AND status = 'bounced' AND report = 'failed' AND detail = 'unknown subscriber') OR
        (email NOT LIKE '%13' AND status = 'sent' AND report = 'delivered'))")"
    [ "$wrong" = 0 ] || fail "$wrong rows whose status is not their report's: $(cat "$WORK/statuses")"
    # The text as the gateway got it is the personalised one.
    echo "sms $CASE ($DB_KIND): $TOTAL numbers, $(received) taken by the gateway once each, $doubt in doubt; $(cat "$WORK/statuses")"
}

case "$CASE" in
send)
    serve
    wait_done 240
    wait_reported 60
    check
    [ "$(q "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = 1 AND status = 'in_doubt'")" = 0 ] ||
        fail "rows in doubt without any crash"
    # Replies on the signed inbound webhook: a STOP unsubscribes the number in the group (A8),
    # another reply lands in the inbox, an unsigned or forged one is refused.
    post() { # post BODY [SIGNATURE]: prints the HTTP status
        /usr/bin/python3 - "$1" "${2-}" "http://127.0.0.1:$HTTP_PORT/p/massmailing/sms/inbound" "$SECRET" <<'PY'
import hashlib, hmac, sys, urllib.request, urllib.error
body, signature, url, secret = sys.argv[1].encode(), sys.argv[2], sys.argv[3], sys.argv[4].encode()
if signature == "sign":
    signature = hmac.new(secret, body, hashlib.sha256).hexdigest()
request = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-Signature": signature})
try:
    print(urllib.request.urlopen(request, timeout=10).status)
except urllib.error.HTTPError as refused:
    print(refused.code)
PY
    }
    [ "$(post '{"from": "+33600000007", "text": "Arrêt"}' sign)" = 200 ] || fail "a signed STOP was refused"
    [ "$(post '{"from": "33600000009", "text": "merci, à demain"}' sign)" = 200 ] || fail "a signed reply was refused"
    [ "$(post '{"from": "+33600000011", "text": "STOP"}')" = 401 ] || fail "an unsigned STOP was taken"
    [ "$(post '{"from": "+33600000011", "text": "STOP"}' 00ff)" = 401 ] || fail "a forged STOP was taken"
    stopped="$(q "SELECT address, method FROM mm_unsubscribes WHERE group_id = 1 ORDER BY address" | tr '\t|\n' '== ')"
    [ "$stopped" = "+33600000007=sms-stop " ] || fail "unsubscribed after the replies: '$stopped'"
    # The other reply is in the group's inbox, from the number as E.164.
    [ "$(q "SELECT COUNT(*) FROM mm_inbox_messages WHERE body = 'merci, à demain' AND sender = '+33600000009'")" = 1 ] ||
        fail "the reply that is no STOP is not in the inbox"
    echo "sms send ($DB_KIND): STOP unsubscribed +33600000007 (sms-stop); the other reply in the inbox; the unsigned and the forged one changed nothing"
    ;;
kills)
    KILLS=8
    for ((k = 1; k <= KILLS; k++)); do
        serve
        target=$(($(received) + 50 + RANDOM % 250))
        for ((i = 0; i < 1500; i++)); do
            [ "$(received)" -ge "$target" ] && break
            kill -0 "$SERVER" 2>/dev/null || break
            sleep 0.02
        done
        kill -0 "$SERVER" 2>/dev/null || fail "the host ended before kill $k"
        [ "$(received)" -lt "$TOTAL" ] || fail "the send was over before kill $k"
        kill -9 "$SERVER"
        wait "$SERVER" 2>/dev/null || true
    done
    serve
    wait_done 300
    wait_reported 90
    check
    ;;
*) die "unknown case $CASE" ;;
esac
