#!/usr/bin/env bash
# bench/send: the real crmhost sends a personalised campaign of N recipients from MariaDB over
# SMTP to Postfix's smtp-sink on loopback; in the same run Postfix's smtp-source sends as many
# messages of the same size, over as many kept-open sessions (-d -s C), to the same sink.
# Prints messages per second of both and their ratio, the CPU seconds (user+sys) per 1,000
# messages of each sender, of MariaDB and of the sink (all share this machine's cores, so their
# sum bounds the rate), crmhost's peak memory (max RSS), and checks the sink's count and that
# all N rows ended "sent"; MariaDB's statements and commits per 1,000 messages and the journal's
# fdatasyncs per second (issue 14). Last, what an in-flight mark in the database would cost
# MariaDB alone (one per message, the design before the journal).
#
#   bench/send.sh [--recipients N] [--connections C] [--batch B] [--no-journal] [--dkim] [--flush-log 1|2] [--keep]
#
# N defaults to 100000, C (massmailing.smtp.connections) to 4, B (massmailing.batch, the rows a
# connection claims at once) to the module's default; --no-journal marks each message in flight
# in the database instead of the node's journal (the design before issue 14, batch 50 then);
# --dkim signs every message with
# a freshly generated 2048-bit RSA key. The database: CRMHOST_TEST_MYSQL when set
# ("host=...;port=...;user=...;password=...", as scripts/test.sh exports it), else a private
# MariaDB server started for the run. It makes (and drops, unless --keep) its own database.
# --flush-log 2 (private server only) sets innodb_flush_log_at_trx_commit = 2: commits without an
# fsync each.
# Needs build/bin/crmhost, build/modules/libmassmailing.so and the postfix package.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

RECIPIENTS=100000
CONNECTIONS=4
DKIM=0
KEEP=0
FLUSH_LOG=""
BATCH=""
JOURNAL=on
while [ $# -gt 0 ]; do
    case "$1" in
    --recipients) RECIPIENTS="$2" && shift ;;
    --connections) CONNECTIONS="$2" && shift ;;
    --batch) BATCH="$2" && shift ;;
    --no-journal) JOURNAL=off ;;
    --dkim) DKIM=1 ;;
    --flush-log) FLUSH_LOG="$2" && shift ;;
    --keep) KEEP=1 ;;
    *) die "usage: bench/send.sh [--recipients N] [--connections C] [--batch B] [--no-journal] [--dkim] [--flush-log 1|2] [--keep]" ;;
    esac
    shift
done

CRMHOST="$BUILD_DIR/bin/crmhost"
[ -x "$CRMHOST" ] || die "$CRMHOST is missing: build first"
[ -x /usr/sbin/smtp-sink ] && [ -x /usr/sbin/smtp-source ] || die "smtp-sink/smtp-source missing: install postfix"

WORK="$(mktemp -d /tmp/bench-send.XXXXXX)"
SINK_PID=""
DB=""
cleanup() {
    set +e # every step, whatever failed before
    if [ -n "$SINK_PID" ]; then
        kill "$SINK_PID" 2>/dev/null
        wait "$SINK_PID" 2>/dev/null
    fi
    if [ -n "$DB" ] && [ "$KEEP" = 0 ]; then
        sql -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null
    fi
    stop_mariadb
    if [ "$KEEP" = 0 ]; then
        rm -rf "$WORK"
    fi
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${CRMHOST_TEST_MYSQL:-}" ]; then
    start_mariadb "$WORK/mariadb"
elif [ -n "$FLUSH_LOG" ]; then
    die "--flush-log changes the whole server: only with the private one (unset CRMHOST_TEST_MYSQL)"
fi
field() { sed -nE "s/(^|.*;)$1=([^;]*).*/\\2/p" <<<"$CRMHOST_TEST_MYSQL"; }
DB_HOST="$(field host)" DB_PORT="$(field port)" DB_USER="$(field user)" DB_PASSWORD="$(field password)"
sql() { mariadb --no-defaults --protocol=tcp -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" -p"$DB_PASSWORD" "$@"; }
DB="crmhost_bench_send_$$"
sql -e "CREATE DATABASE $DB"
if [ -n "$FLUSH_LOG" ]; then sql -e "SET GLOBAL innodb_flush_log_at_trx_commit = $FLUSH_LOG"; fi
FLUSH_NOW="$(sql -N -e "SELECT @@innodb_flush_log_at_trx_commit")"

SINK_PORT="$(free_port)"
SENDER_DOMAIN="bench.example"
write_config() { # write_config FILE TRANSPORT
    cat >"$1" <<EOF
db.connector = MySQL
db.connect = $CRMHOST_TEST_MYSQL;db=$DB
data.dir = $WORK/data
modules.dir = $BUILD_DIR/modules
resources.dir = $REPO_ROOT
http.public_url = https://crm.bench.example
massmailing.transport = $2
massmailing.outbox.dir = $WORK/outbox
massmailing.smtp.host = 127.0.0.1
massmailing.smtp.port = $SINK_PORT
massmailing.smtp.tls = none
massmailing.smtp.connections = $CONNECTIONS
logging.loggers.root.level = information
EOF
    if [ -n "$BATCH" ]; then echo "massmailing.batch = $BATCH" >>"$1"; fi
    echo "massmailing.journal = $JOURNAL" >>"$1"
    if [ "$DKIM" = 1 ]; then
        cat >>"$1" <<EOF
massmailing.dkim.domain = $SENDER_DOMAIN
massmailing.dkim.selector = bench
massmailing.dkim.key = $WORK/dkim.pem
EOF
    fi
}
mkdir -p "$WORK/data"
[ "$DKIM" = 1 ] && openssl genrsa -out "$WORK/dkim.pem" 2048 2>/dev/null
write_config "$WORK/smtp.properties" smtp
write_config "$WORK/outbox.properties" outbox
"$CRMHOST" --config "$WORK/smtp.properties" migrate >"$WORK/migrate.log" 2>&1 ||
    {
        cat "$WORK/migrate.log" >&2
        die "crmhost migrate failed"
    }

# A newsletter of a few kilobytes, personalised in its subject and body.
HTML='<h1>Hello {{first_name}},</h1>
<p>Dear {{first_name}} {{last_name}}, here is what happens at {{group_name}} this month.</p>'
for i in 1 2 3 4 5 6; do
    HTML+="
<h2>News item $i</h2>
<p>The co-operative's committee met on Tuesday and decided, among other things, that the
vegetable baskets will be ready from five o'clock, that the new bread supplier starts next
week, and that volunteers for the summer market are still welcome: reply to this message,
{{first_name}}, if you can help for an hour or two. <a href=\"https://bench.example/news/$i\">Read more</a></p>"
done
HTML="${HTML//\'/\'\'}"

# new_campaign NAME RECIPIENTS: a scheduled campaign due now, its rows queued (set-based).
new_campaign() {
    sql "$DB" <<SQL
SET SESSION max_recursive_iterations = $(($2 + 10));
INSERT INTO mm_campaigns (group_id, recipient_type, name, sender_name, sender_email, subject, html,
    text_body, status, scheduled_at)
VALUES (1, 'contacts', '$1', 'Bench Co-op', 'news@$SENDER_DOMAIN', 'News for {{first_name}} {{last_name}}',
    '$HTML', '', 'scheduled', UTC_TIMESTAMP() - INTERVAL 1 MINUTE);
SET @campaign = LAST_INSERT_ID();
INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, last_name,
    company, locale, dedupe_key, status)
WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $2)
SELECT @campaign, 0, 'person', n, CONCAT('person', n, '@example.org'),
    ELT(1 + n % 6, 'Anna', 'Bruno', 'Chloé', 'Daniel', 'Émilie', 'François'),
    ELT(1 + n % 5, 'Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau'), '', IF(n % 3 = 0, 'en', 'fr'),
    CONCAT('person', n, '@example.org'), 'queued'
FROM seq;
SQL
}

sql "$DB" -e "INSERT INTO host_groups (id, kind, name) VALUES (1, 'crm', 'Bench Co-op');
    INSERT INTO verified_domains (group_id, domain) VALUES (1, '$SENDER_DOMAIN')"

# The size of one message as crmhost writes it: one recipient through the outbox transport.
new_campaign sample 1
"$CRMHOST" --config "$WORK/outbox.properties" task run massmailing.send --until-idle >"$WORK/sample.log" 2>&1 ||
    {
        cat "$WORK/sample.log" >&2
        die "the sample send failed"
    }
SAMPLE="$(ls "$WORK"/outbox/*.eml | head -n 1)"
SIZE="$(tail -n +3 "$SAMPLE" | wc -c)" # without the outbox's two envelope lines

log "seeding $RECIPIENTS recipients"
SEED_START=$(date +%s.%N)
new_campaign bench "$RECIPIENTS"
CAMPAIGN="$(sql -N "$DB" -e "SELECT MAX(id) FROM mm_campaigns")"
SEED_SECONDS=$(echo "$(date +%s.%N) - $SEED_START" | bc)

# One sink for both senders; -c prints its counters (sessions, quits, messages) as it goes.
/usr/sbin/smtp-sink -c -u nobody -m 512 "127.0.0.1:$SINK_PORT" 1024 >"$WORK/sink.out" 2>&1 &
SINK_PID=$!
for ((i = 0; i < 50; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && break
    sleep 0.1
done
# A process's CPU seconds (user+sys) so far; MariaDB's server is on this machine (loopback).
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
SERVER_PID="$(cat "$(sql -N -e "SELECT @@pid_file")")"
mariadb_cpu() { cpu_of "$SERVER_PID"; }
# Each sender starts once MariaDB is idle (under 5 % of a core over a second, at most two
# minutes): after a send it purges old row versions and flushes pages for a while, and
# smtp-source measured meanwhile was up to 45 % slower.
wait_quiet() {
    local i before
    for ((i = 0; i < 120; i++)); do
        before="$(mariadb_cpu)"
        sleep 1
        [ "$(echo "$(mariadb_cpu) - $before < 0.05" | bc)" = 1 ] && return
    done
}
sink_messages() { tr '\r' '\n' <"$WORK/sink.out" | sed -nE 's/.*mesg=([0-9]+).*/\1/p' | tail -n 1; }

wait_quiet
log "crmhost: sending $RECIPIENTS messages of $SIZE bytes over $CONNECTIONS connections"
# MariaDB's counters: statements the clients sent, and InnoDB commits (an autocommit statement is one).
db_counter() { sql -N -e "SHOW GLOBAL STATUS LIKE '$1'" | awk '{ print $2 }'; }
QUESTIONS_START="$(db_counter Questions)" COMMITS_START="$(db_counter Handler_commit)"
sql -N -e "SHOW GLOBAL STATUS LIKE 'Com\_%'" >"$WORK/com.before"
if [ "${BENCH_STATEMENTS:-0}" = 1 ]; then sql -e "SET GLOBAL general_log_file = '$WORK/general.log', GLOBAL general_log = 1"; fi
DB_CPU_START="$(mariadb_cpu)" SINK_CPU_START="$(cpu_of "$SINK_PID")"
# BENCH_PERF=FILE: crmhost's send profiled into FILE (perf record -g; it slows the send).
PROFILE=()
if [ -n "${BENCH_PERF:-}" ]; then PROFILE=(perf record -F ${BENCH_PERF_HZ:-499} ${BENCH_PERF_GRAPH:--g} -o "$BENCH_PERF" --); fi
/usr/bin/time -f "%e %U %S %M" -o "$WORK/crmhost.time" "${PROFILE[@]}" \
    "$CRMHOST" --config "$WORK/smtp.properties" task run massmailing.send --until-idle >"$WORK/send.log" 2>&1 ||
    {
        tail -n 30 "$WORK/send.log" >&2
        die "crmhost task run failed"
    }
DB_CPU=$(echo "$(mariadb_cpu) - $DB_CPU_START" | bc)
QUESTIONS=$(($(db_counter Questions) - QUESTIONS_START - 1)) COMMITS=$(($(db_counter Handler_commit) - COMMITS_START))
# Which statements they were, when asked (BENCH_STATEMENTS=1): the server's Com_ counters.
if [ "${BENCH_STATEMENTS:-0}" = 1 ]; then
    sql -N -e "SHOW GLOBAL STATUS LIKE 'Com\_%'" | join "$WORK/com.before" - |
        awk '$3 - $2 > 0 { printf "%-28s %8d\n", $1, $3 - $2 }' >&2
    sql -e "SET GLOBAL general_log = 0"
    # The statements by their first words, the most frequent first.
    sed -nE 's/^.*[0-9]+ (Query|Execute)\t//p' "$WORK/general.log" | sed -E 's/[0-9]+/N/g' | cut -c1-90 |
        sort | uniq -c | sort -rn | head -n 25 >&2
fi
# The journal's count, from the last round's log line (one journal per process).
FSYNCS="$(sed -nE 's/.*Journal [^:]*: [0-9]+ records, ([0-9]+) fdatasyncs.*/\1/p' "$WORK/send.log" | tail -n 1)"
FSYNCS="${FSYNCS:-0}"
SINK_CPU_CRMHOST=$(echo "$(cpu_of "$SINK_PID") - $SINK_CPU_START" | bc)
sleep 0.5
AT_SINK_CRMHOST="$(sink_messages)"
read -r CRM_WALL CRM_USER CRM_SYS CRM_RSS <"$WORK/crmhost.time"

wait_quiet
log "smtp-source: sending $RECIPIENTS messages of $SIZE bytes over $CONNECTIONS sessions"
SOURCE_START=$(date +%s.%N) SINK_CPU_START="$(cpu_of "$SINK_PID")"
/usr/bin/time -f "%U %S" -o "$WORK/source.time" \
    /usr/sbin/smtp-source -d -s "$CONNECTIONS" -m "$RECIPIENTS" -l "$SIZE" -f "news@$SENDER_DOMAIN" \
    -t "person@example.org" "127.0.0.1:$SINK_PORT" >"$WORK/source.log" 2>&1 ||
    {
        cat "$WORK/source.log" >&2
        die "smtp-source failed"
    }
SOURCE_WALL=$(echo "$(date +%s.%N) - $SOURCE_START" | bc)
SINK_CPU_SOURCE=$(echo "$(cpu_of "$SINK_PID") - $SINK_CPU_START" | bc)
read -r SOURCE_USER SOURCE_SYS <"$WORK/source.time"
sleep 0.5
AT_SINK_TOTAL="$(sink_messages)"

# What one message's in-flight mark costs the database by itself: as many autocommit UPDATEs by
# primary key, from as many connections, with nothing else running.
MARKS=$((RECIPIENTS < 20000 ? RECIPIENTS : 20000))
sql "$DB" -e "CREATE TABLE bench_marks (id BIGINT PRIMARY KEY, in_flight_at DATETIME NULL, lease_until DATETIME NULL);
    INSERT INTO bench_marks (id) SELECT seq FROM seq_1_to_$MARKS"
for ((c = 0; c < CONNECTIONS; c++)); do
    awk -v c="$c" -v n="$CONNECTIONS" -v m="$MARKS" 'BEGIN { for (i = 1 + c; i <= m; i += n)
        printf "UPDATE bench_marks SET in_flight_at = NOW(), lease_until = NOW() + INTERVAL 300 SECOND WHERE id = %d;\n", i }' \
        >"$WORK/marks.$c.sql"
done
wait_quiet
DB_CPU_START="$(mariadb_cpu)"
MARKS_START=$(date +%s.%N)
MARKERS=()
for ((c = 0; c < CONNECTIONS; c++)); do
    sql "$DB" <"$WORK/marks.$c.sql" &
    MARKERS+=($!)
done
wait "${MARKERS[@]}"
MARKS_WALL=$(echo "$(date +%s.%N) - $MARKS_START" | bc)
MARKS_CPU=$(echo "$(mariadb_cpu) - $DB_CPU_START" | bc)

STATUSES="$(sql -N "$DB" -e "SELECT status, COUNT(*) FROM mm_recipients WHERE campaign_id = $CAMPAIGN GROUP BY status" |
    tr '\t\n' '= ' | sed 's/ $//')"
SENT="$(sql -N "$DB" -e "SELECT COUNT(*) FROM mm_recipients WHERE campaign_id = $CAMPAIGN AND status = 'sent'")"

awk -v n="$RECIPIENTS" -v c="$CONNECTIONS" -v size="$SIZE" -v dkim="$DKIM" -v crmWall="$CRM_WALL" \
    -v user="$CRM_USER" -v sys="$CRM_SYS" -v rss="$CRM_RSS" -v sourceWall="$SOURCE_WALL" \
    -v atSinkCrm="$AT_SINK_CRMHOST" -v atSinkTotal="$AT_SINK_TOTAL" -v sent="$SENT" -v statuses="$STATUSES" \
    -v seed="$SEED_SECONDS" -v flush="$FLUSH_NOW" -v dbCpu="$DB_CPU" -v sinkCrm="$SINK_CPU_CRMHOST" \
    -v sinkSource="$SINK_CPU_SOURCE" -v sourceCpu="$(echo "$SOURCE_USER + $SOURCE_SYS" | bc)" -v sourceSys="$SOURCE_SYS" \
    -v marks="$MARKS" -v marksWall="$MARKS_WALL" -v marksCpu="$MARKS_CPU" -v questions="$QUESTIONS" \
    -v commits="$COMMITS" -v fsyncs="$FSYNCS" -v journal="$JOURNAL" 'BEGIN {
    crmRate = n / crmWall; sourceRate = n / sourceWall
    printf "Sending, %d recipients, %d connections, %d-byte messages, personalised, DKIM %s, journal %s\n",
        n, c, size, dkim ? "on" : "off", journal
    printf "(%d rows seeded in %.1f s; MariaDB innodb_flush_log_at_trx_commit = %s)\n\n", n, seed, flush
    printf "| %-34s | %12s | %12s |\n", "", "crmhost", "smtp-source"
    printf "|%s|%s|%s|\n", "------------------------------------", "--------------", "--------------"
    printf "| %-34s | %12.1f | %12.1f |\n", "wall time (s)", crmWall, sourceWall
    printf "| %-34s | %12.0f | %12.0f |\n", "messages per second", crmRate, sourceRate
    printf "| %-34s | %12.2f | %12s |\n", "ratio to smtp-source", crmRate / sourceRate, "1.00"
    crmCpu = (user + sys) * 1000 / n; db = dbCpu * 1000 / n; sourceCpu = sourceCpu * 1000 / n
    sinkCrm = sinkCrm * 1000 / n; sinkSource = sinkSource * 1000 / n
    printf "| %-34s | %12.3f | %12.3f |\n", "CPU s (user+sys) per 1,000 msgs", crmCpu, sourceCpu
    printf "| %-34s | %12.3f | %12.3f |\n", "  of which in the kernel (sys)", sys * 1000 / n, sourceSys * 1000 / n
    printf "| %-34s | %12.3f | %12s |\n", "MariaDB CPU s per 1,000 msgs", db, "-"
    printf "| %-34s | %12.3f | %12.3f |\n", "smtp-sink CPU s per 1,000 msgs", sinkCrm, sinkSource
    printf "| %-34s | %12.3f | %12.3f |\n", "all of them, CPU s per 1,000 msgs", crmCpu + db + sinkCrm,
        sourceCpu + sinkSource
    printf "| %-34s | %12.1f | %12s |\n", "peak memory, max RSS (MB)", rss / 1024, "-"
    printf "| %-34s | %12.1f | %12s |\n", "MariaDB statements per 1,000 msgs", questions * 1000 / n, "-"
    printf "| %-34s | %12.1f | %12s |\n", "MariaDB commits per 1,000 msgs", commits * 1000 / n, "-"
    printf "| %-34s | %12.0f | %12s |\n", "journal fdatasyncs per second", fsyncs / crmWall, "-"
    printf "| %-34s | %12d | %12d |\n", "messages counted at the sink", atSinkCrm, atSinkTotal - atSinkCrm
    printf "\nrows: %s; all %d sent: %s\n", statuses, n, sent == n ? "yes" : "NO"
    printf "MariaDB alone, %d in-flight marks (autocommit UPDATE by primary key) over %d connections: " \
        "%.0f per second, %.2f ms of its CPU each\n", marks, c, marks / marksWall, marksCpu * 1000 / marks
    exit sent == n && atSinkCrm == n ? 0 : 1
}'
