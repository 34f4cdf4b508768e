#!/usr/bin/env bash
# A private Postfix on loopback, for tests that need real delivery status notifications (DSNs).
#
#   postfix_loopback.sh start DIR RELAY_PORT LISTENER_PORT BOUNCE_DOMAIN
#       Starts a Postfix instance of its own in DIR (its main.cf and master.cf, its log
#       DIR/maillog; its queue and data folders in /tmp/postfix-loopback.*, named in DIR/spool,
#       removed by stop), listening for SMTP on 127.0.0.1 on a free port, which it
#       prints on one line once Postfix answers there. Mail for BOUNCE_DOMAIN goes to
#       smtp:[127.0.0.1]:LISTENER_PORT (the host's inbound listener); mail for any other domain
#       to smtp:[127.0.0.1]:RELAY_PORT (e.g. tests/support/refusing_smtp.py). No DNS. A refusal
#       of the relay comes back at once as a DSN to the envelope sender: 5xx and 4xx alike
#       (maximal_queue_lifetime = 0), unless POSTFIX_DELAY_WARNING is set.
#   postfix_loopback.sh stop DIR
#       Stops that instance (and kills its master if it does not stop within 10 s). Safe to
#       call twice, or for a DIR where none runs.
#   postfix_loopback.sh stop-all
#       Stops every instance started since CRMHOST_TEST_TMP was set (scripts/test.sh calls it
#       at its end, in case a test was killed before its own stop).
#
# Environment:
#   POSTFIX_DELAY_WARNING  a time such as 2s: 4xx refusals are tried again for a minute, and a
#                          "delayed" DSN (Action: delayed) goes out after that time.
#   CRMHOST_TEST_TMP       where the list of started instances is kept (default /tmp).
#
# Runs as root (Postfix's master must), from Debian's postfix package (scripts/lib.sh installs
# it with the tests' packages). The master runs in the foreground of a background job, so it
# stays in the caller's process group: a test runner that kills its group kills it too.
set -euo pipefail

die() {
    printf 'postfix_loopback.sh: %s\n' "$*" >&2
    exit 1
}

instances_file() { printf '%s/postfix-loopback-instances' "${CRMHOST_TEST_TMP:-/tmp}"; }

spool_of() { # DIR: the folder of its queue and data (see start_instance), or nothing
    [ -f "$1/spool" ] && cat "$1/spool"
    return 0
}

master_pid() { # DIR: the pid of its running master, or nothing
    local spool file pid
    spool="$(spool_of "$1")"
    [ -n "$spool" ] || return 0
    file="$spool/queue/pid/master.pid"
    [ -f "$file" ] || return 0
    pid="$(tr -d ' \n' <"$file")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
    return 0
}

free_port() {
    /usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

answers_smtp() { # PORT
    /usr/bin/python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
ok = s.recv(512).startswith(b"220")
s.close()
sys.exit(0 if ok else 1)
PY
}

stop_instance() { # DIR
    local dir="$1" pid i spool
    [ -d "$dir" ] || return 0
    pid="$(master_pid "$dir")"
    if [ -n "$pid" ]; then
        postfix -c "$dir" stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    spool="$(spool_of "$dir")"
    if [[ "$spool" == /tmp/postfix-loopback.* ]]; then
        rm -rf "$spool"
    fi
    rm -f "$dir/spool"
}

start_instance() { # DIR RELAY_PORT LISTENER_PORT BOUNCE_DOMAIN
    local dir="$1" relay="$2" listener="$3" domain="$4"
    [ "$(id -u)" -eq 0 ] || die "must run as root (Postfix's master does)"
    command -v postfix >/dev/null || die "postfix is not installed (apt-get install postfix)"
    [[ "$relay" =~ ^[0-9]+$ && "$listener" =~ ^[0-9]+$ ]] || die "the ports must be numbers"
    [[ "$domain" =~ ^[A-Za-z0-9.-]+$ ]] || die "the bounce domain must be a domain name, not \"$domain\""
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    stop_instance "$dir" # a stale instance of an earlier run
    # The queue and data folders where the postfix user reaches them: DIR may be inside a
    # folder of mode 700 (mktemp -d), which Postfix's unprivileged daemons cannot enter.
    local spool
    spool="$(mktemp -d /tmp/postfix-loopback.XXXXXX)"
    chmod 755 "$spool"
    printf '%s\n' "$spool" >"$dir/spool"
    mkdir -p "$spool/queue" "$spool/data"
    chown postfix "$spool/data"
    local port
    port="$(free_port)"

    local lifetime=0 warning=0h
    if [ -n "${POSTFIX_DELAY_WARNING:-}" ]; then
        lifetime=1m
        warning="$POSTFIX_DELAY_WARNING"
    fi
    cat >"$dir/main.cf" <<EOF
# A private instance for tests (tests/support/postfix_loopback.sh): everything on loopback.
compatibility_level = 3.6
queue_directory = $spool/queue
data_directory = $spool/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
myhostname = postfix.loopback.test
mydomain = loopback.test
myorigin = \$myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
smtp_dns_support_level = disabled
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtputf8_enable = no
biff = no
transport_maps = inline:{ $domain=smtp:[127.0.0.1]:$listener }
default_transport = smtp:[127.0.0.1]:$relay
relay_transport = smtp:[127.0.0.1]:$relay
maximal_queue_lifetime = $lifetime
bounce_queue_lifetime = $lifetime
delay_warning_time = $warning
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
EOF
    cat >"$dir/master.cf" <<EOF
# service type private unpriv chroot wakeup maxproc command
127.0.0.1:$port inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
EOF
    postfix -c "$dir" set-permissions >"$dir/set-permissions.log" 2>&1 || true
    printf '%s\n' "$dir" >>"$(instances_file)"
    # The master in the foreground of a background job: it stays in our process group.
    postfix -c "$dir" start-fg >"$dir/postfix.out" 2>&1 </dev/null &
    local i
    for ((i = 0; i < 200; i++)); do
        if answers_smtp "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
        sleep 0.1
    done
    stop_instance "$dir"
    {
        echo "Postfix did not answer on 127.0.0.1:$port within 20 s:"
        tail -n 30 "$dir/postfix.out" "$dir/maillog" 2>/dev/null
    } >&2
    exit 1
}

case "${1:-}" in
start)
    [ $# -eq 5 ] || die "usage: $0 start DIR RELAY_PORT LISTENER_PORT BOUNCE_DOMAIN"
    start_instance "$2" "$3" "$4" "$5"
    ;;
stop)
    [ $# -eq 2 ] || die "usage: $0 stop DIR"
    stop_instance "$2"
    ;;
stop-all)
    file="$(instances_file)"
    if [ -f "$file" ]; then
        sort -u "$file" | while IFS= read -r dir; do stop_instance "$dir"; done
        rm -f "$file"
    fi
    ;;
*)
    die "usage: $0 start DIR RELAY_PORT LISTENER_PORT BOUNCE_DOMAIN | stop DIR | stop-all"
    ;;
esac
