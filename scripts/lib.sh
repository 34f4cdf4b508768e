# shellcheck shell=bash disable=SC2034
# Shared shell functions for scripts/run.sh and scripts/test.sh.
# Source it; it sets nothing but variables and functions.
#
#   ensure_packages PKG...   apt-install only the packages that are missing
#   build                    the one build command (build/bin/crmhost, build/modules/libmassmailing.so)
#   build_fuzz               the fuzz targets (build-fuzz/fuzz/bin/fuzz_*), with clang-14 and libFuzzer
#   free_port                print a free TCP port on 127.0.0.1
#   start_mariadb DIR        private MariaDB server in DIR on a free port, on 127.0.0.1
#   stop_mariadb             stop it again (safe to call twice, or when none was started)

REPO_ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
BUILD_DIR="$REPO_ROOT/build"
FUZZ_BUILD_DIR="$REPO_ROOT/build-fuzz"

# Debian 12 package names. The build needs the first list; the tests need both.
# The build runs npm ci for the composition screen's editor (plugin/web).
BUILD_PACKAGES=(cmake g++ make pkg-config libpoco-dev libmstch-dev libboost-dev libssl-dev
    libcppunit-dev libgumbo-dev nodejs npm
    libphonenumber-dev) # sms15: phone numbers (issue 15)
TEST_PACKAGES=(mariadb-server mariadb-client sqlite3 python3 python3-aiosmtpd python3-dkim python3-dnspython dnsmasq-base postfix
    chromium fonts-dejavu-core clang-format clang-tidy clang-14 libclang-rt-14-dev
    python3-cryptography) # python3-cryptography: the push service stand-in (tests/push/push_service.py)

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf '!!! %s\n' "$*" >&2; }
die() {
    printf '!!! %s\n' "$*" >&2
    exit 1
}

# Is package $1 present: installed itself, or provided by an installed package
# (NodeSource's nodejs provides npm, and then Debian's npm cannot be installed beside it)?
package_present() {
    local pkg="$1"
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] && return 0
    dpkg-query -W -f='${db:Status-Status}\t${Provides}\n' 2>/dev/null |
        awk -F'\t' -v p="$pkg" '$1 == "installed" {
            n = split($2, a, /, */)
            for (i = 1; i <= n; i++) { sub(/ .*/, "", a[i]); if (a[i] == p) found = 1 }
        } END { exit !found }'
}

_APT_UPDATED=""
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        package_present "$pkg" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    log "installing missing Debian packages: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]} by hand"
        sudo="sudo"
    fi
    for pkg in "${missing[@]}"; do
        if [ "$pkg" = postfix ]; then
            echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
        fi
    done
    if [ -z "$_APT_UPDATED" ]; then
        $sudo apt-get -o DPkg::Lock::Timeout=300 update -q || die "apt-get update failed"
        _APT_UPDATED=1
    fi
    # No recommends: chromium's and postfix's would bring systemd, avahi and printing.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
        --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
    for pkg in "${missing[@]}"; do
        package_present "$pkg" || die "package $pkg is still not installed"
    done
}

build() {
    log "building (cmake, Release) into $BUILD_DIR"
    (cd "$REPO_ROOT" && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2)
}

# The fuzz targets of fuzz/ (libFuzzer, ASan, UBSan): a build of their own with clang-14
# (libclang-rt-14-dev holds libFuzzer), beside the g++ build, which it leaves alone.
build_fuzz() {
    log "building the fuzz targets (clang-14, libFuzzer) into $FUZZ_BUILD_DIR"
    (cd "$REPO_ROOT" && CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DMASSMAILING_FUZZ=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF &&
        cmake --build build-fuzz --target fuzz_all -j"${FUZZ_BUILD_JOBS:-2}")
}

# A free TCP port on 127.0.0.1 (the kernel's pick; a fall-back tries ports one by one).
free_port() {
    if [ -x /usr/bin/python3 ]; then
        /usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return 0
    fi
    local p
    for ((p = 20000 + RANDOM % 20000; p < 65000; p++)); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

MARIADB_DIR=""
MARIADB_PID=""
MARIADB_PASSWORD=""

# start_mariadb DIR: a private server with its data, socket, pid file, log and temporary tables in
# DIR (MARIADB_BUFFER_POOL, default 256M: InnoDB's buffer pool, larger for benchmarks).
# Exports MARIADB_PORT, MARIADB_SOCKET, MARIADB_PASSWORD and
# CRMHOST_TEST_MYSQL="host=127.0.0.1;port=P;user=root;password=X" (no database: tests make their own).
start_mariadb() {
    local dir="$1"
    [ -n "$dir" ] || die "start_mariadb: no folder given"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    MARIADB_DIR="$dir"
    local datadir="$dir/data" sock="$dir/mysqld.sock" port
    # Its own folder for temporary tables: nothing that tidies /tmp can pull them away mid-query.
    mkdir -p "$dir/tmp"
    [ ${#sock} -lt 100 ] || die "start_mariadb: socket path too long: $sock"

    log "MariaDB: initialising $datadir"
    mariadb-install-db --user=root --datadir="$datadir" --auth-root-authentication-method=normal \
        --skip-test-db >"$dir/install-db.log" 2>&1 ||
        {
            cat "$dir/install-db.log" >&2
            die "mariadb-install-db failed"
        }

    port="$(free_port)" || die "no free port for MariaDB"
    log "MariaDB: starting on 127.0.0.1:$port"
    # Its own session, so that a Ctrl-C at the terminal does not kill it before stop_mariadb.
    setsid mariadbd --no-defaults --user=root --datadir="$datadir" --socket="$sock" --port="$port" \
        --bind-address=127.0.0.1 --skip-networking=0 --pid-file="$dir/mariadbd.pid" --tmpdir="$dir/tmp" \
        --log-error="$dir/mariadbd.err" --innodb-buffer-pool-size="${MARIADB_BUFFER_POOL:-256M}" --max-connections=500 \
        </dev/null >/dev/null 2>&1 &
    MARIADB_PID=$!

    local i pidfile_pid
    for ((i = 0; i < 600; i++)); do
        if mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; then
            break
        fi
        pidfile_pid="$(cat "$dir/mariadbd.pid" 2>/dev/null || true)"
        if ! kill -0 "$MARIADB_PID" 2>/dev/null && ! { [ -n "$pidfile_pid" ] && kill -0 "$pidfile_pid" 2>/dev/null; }; then
            tail -n 30 "$dir/mariadbd.err" >&2 || true
            MARIADB_PID=""
            die "mariadbd exited while starting (log: $dir/mariadbd.err)"
        fi
        sleep 0.1
    done
    if ((i >= 600)); then
        tail -n 30 "$dir/mariadbd.err" >&2 || true
        die "mariadbd did not answer within 60 s (log: $dir/mariadbd.err)"
    fi
    # The server's own pid (setsid forks when it is started from a process group leader).
    pidfile_pid="$(cat "$dir/mariadbd.pid" 2>/dev/null || true)"
    [ -n "$pidfile_pid" ] && MARIADB_PID="$pidfile_pid"

    MARIADB_PASSWORD="pw$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    # root over the socket has no password yet; give it one, and the same to root over TCP.
    mariadb --no-defaults --socket="$sock" -uroot <<SQL || die "could not set MariaDB's root password"
ALTER USER 'root'@'localhost' IDENTIFIED BY '$MARIADB_PASSWORD';
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '$MARIADB_PASSWORD';
ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$MARIADB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
    mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot -p"$MARIADB_PASSWORD" \
        -e 'SELECT 1' >/dev/null || die "MariaDB does not accept root over TCP on port $port"

    export MARIADB_PORT="$port" MARIADB_SOCKET="$sock" MARIADB_PASSWORD
    export CRMHOST_TEST_MYSQL="host=127.0.0.1;port=$port;user=root;password=$MARIADB_PASSWORD"
    log "MariaDB: ready (port $port, socket $sock)"
}

stop_mariadb() {
    [ -n "$MARIADB_PID" ] || return 0
    local pid="$MARIADB_PID" i
    MARIADB_PID=""
    log "MariaDB: stopping (pid $pid)"
    local sock="$MARIADB_DIR/mysqld.sock"
    if [ -S "$sock" ]; then
        # With the password, or without one if it failed before the password was set.
        mariadb-admin --no-defaults --socket="$sock" -uroot -p"$MARIADB_PASSWORD" shutdown >/dev/null 2>&1 ||
            mariadb-admin --no-defaults --socket="$sock" -uroot shutdown >/dev/null 2>&1 || true
    fi
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        # After 10 s of asking politely, a plain TERM; after 30 s, KILL.
        ((i == 100)) && kill -TERM "$pid" 2>/dev/null
        ((i == 299)) && kill -KILL "$pid" 2>/dev/null
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
    unset MARIADB_PORT MARIADB_SOCKET CRMHOST_TEST_MYSQL
}
