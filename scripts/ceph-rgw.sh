#!/usr/bin/env bash
# A throwaway single-node Ceph with its S3 gateway on 127.0.0.1, for the tests that need a real object store
# (issue 14). Everything lives in one directory: no systemd, no /etc/ceph, nothing installed (run-tests.sh installs
# ceph-mon ceph-osd radosgw ceph-common).
#
#   scripts/ceph-rgw.sh start DIR [PORT]   mon + one OSD + radosgw; S3 on 127.0.0.1:PORT (default 7480), the mon on
#                                          PORT+100 (msgr v1 only); the OSD takes ports from 6800-7300
#   scripts/ceph-rgw.sh stop DIR           stops every daemon recorded in DIR/pids, deletes the cluster's data
#                                          (DIR/mon, DIR/osd), keeps DIR/log; safe to run twice
#   scripts/ceph-rgw.sh stop-gateway DIR   stops radosgw only (the cluster keeps its data)
#   scripts/ceph-rgw.sh start-gateway DIR  starts radosgw again and waits until it answers
#
# What `start` leaves in DIR:
#   ceph.conf, keyring      the cluster's configuration and its keys (cephx: `auth = none` leaves the OSD down in
#                           16.2, see ../../shared/notes/ceph-rgw.md)
#   pids                    one "NAME PID" line per running daemon (mon, osd, rgw); stop signals only these, and
#                           only while /proc/PID/cmdline still names DIR/ceph.conf (a reused pid is left alone)
#   env                     AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION, one KEY=VALUE
#                           a line: an S3 user with fixed keys (a test cluster holds nothing secret)
#   log/                    each daemon's log (NAME.log) and its stdout and stderr (NAME.out)
# The OSD keeps its data in bluestore on a sparse file (DIR/osd/block, 20 GiB apparent size), as a real one does;
# CEPH_STORE=memstore keeps it in memory instead (faster to start, RAM grows with the data, lost when the OSD stops).
# Each step waits with a bounded timeout; on failure `start` stops what it started, prints the tail of the failing
# daemon's log and exits 1. Timings go to stderr.
set -euo pipefail

ACCESS_KEY=TIMETRAVELTESTACCESS
SECRET_KEY=timetravel-test-secret-key-0123456789abc

usage() { echo "usage: $0 start DIR [PORT] | stop DIR | stop-gateway DIR | start-gateway DIR" >&2; exit 2; }
say() { echo "ceph-rgw: $*" >&2; }
now() { echo "${EPOCHREALTIME/./}"; }                  # microseconds
since() { local d=$(( $(now) - $1 )); printf '%d.%02d s' $((d / 1000000)) $((d % 1000000 / 10000)); }

[ $# -ge 2 ] || usage
cmd=$1
if [ ! -d "$2" ]; then
    case $cmd in
        start) mkdir -p "$2" ;;
        stop|stop-gateway) say "$2 does not exist: nothing to stop"; exit 0 ;;
        *) say "$2 does not exist: run start first"; exit 1 ;;
    esac
fi
DIR=$(cd "$2" && pwd)
CONF=$DIR/ceph.conf
PIDS=$DIR/pids
as_root=()
[ "$(id -u)" = 0 ] && as_root=(--setuser root --setgroup root)

# The pid recorded for NAME, or nothing.
pid_of() { [ -f "$PIDS" ] && awk -v n="$1" '$1 == n { print $2 }' "$PIDS" || true; }

# True while PID is a live (not zombie) daemon of this cluster.
ours() {
    local pid=$1 state
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ "$state" != Z ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$CONF"
}

# Stops the daemon recorded as NAME: SIGTERM, up to 10 s, then SIGKILL; forgets its pid.
stop_daemon() {
    local name=$1 pid t0
    pid=$(pid_of "$name")
    if ours "$pid"; then
        t0=$(now)
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do ours "$pid" || break; sleep 0.1; done
        if ours "$pid"; then
            say "$name (pid $pid) ignored SIGTERM for 10 s; SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 50); do ours "$pid" || break; sleep 0.1; done
        fi
        say "$name stopped in $(since "$t0")"
    fi
    if [ -f "$PIDS" ]; then
        awk -v n="$name" '$1 != n' "$PIDS" > "$PIDS.new"
        mv "$PIDS.new" "$PIDS"
    fi
}

stop_all() {
    stop_daemon rgw
    stop_daemon osd
    stop_daemon mon
    rm -f "$PIDS"
}

# The log file of a daemon: NAME is mon, osd or rgw.
log_of() {
    case $1 in
        mon) echo "$DIR/log/mon.a.log" ;;
        osd) echo "$DIR/log/osd.0.log" ;;
        rgw) echo "$DIR/log/client.rgw.a.log" ;;
    esac
}

# What a failure stops: the whole cluster while `start` builds it, only radosgw in `start-gateway`.
on_failure_stop=stop_all

# Stops what this command started, shows why NAME failed, exits 1.
fail() {
    local name=$1; shift
    trap - ERR
    say "FAILED: $*"
    for f in "$(log_of "$name")" "$DIR/log/$name.out"; do
        [ -s "$f" ] && { say "--- last lines of $f"; tail -n 25 "$f" >&2; }
    done
    $on_failure_stop
    exit 1
}

# Starts a daemon in its own session, its output in log/NAME.out (never on our stdout: a caller reading it to the
# end would wait for the daemon), and records its pid.
launch() {
    local name=$1; shift
    setsid "$@" < /dev/null >> "$DIR/log/$name.out" 2>&1 &
    echo "$name $!" >> "$PIDS"
}

# Waits up to SECONDS for COMMAND to succeed while daemon NAME stays alive.
wait_for() {
    local name=$1 seconds=$2; shift 2
    local deadline=$(( $(now) + seconds * 1000000 ))
    until "$@" > /dev/null 2>&1; do
        ours "$(pid_of "$name")" || fail "$name" "$name exited while starting"
        [ "$(now)" -lt "$deadline" ] || fail "$name" "$name not ready after $seconds s"
        sleep 0.1
    done
}

port_of_env() { sed -n 's|^AWS_ENDPOINT_URL=http://127.0.0.1:||p' "$DIR/env"; }
answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
port_busy() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

start_gateway() {
    local port=$1
    launch rgw radosgw -c "$CONF" -f "${as_root[@]}" -n client.rgw.a
    wait_for rgw 60 answers "$port"
}

write_conf() {
    local port=$1 fsid=$2 store=$3
    cat > "$CONF" <<EOF
# Written by scripts/ceph-rgw.sh: a single-node test cluster. Values that differ from Ceph's defaults say why.
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$((port + 100))
mon initial members = a
public addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv4 = true
ms bind ipv6 = false
ms bind msgr2 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $DIR/keyring
mon warn on insecure global id reclaim allowed = false
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
pid file = $DIR/run/\$name.pid
crash dir = $DIR/run/crash
# one OSD: one copy of everything, the OSD is its own failure domain
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
# no mgr (it costs 300 MiB), so no pg autoscaler: a fixed, small pg count
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool delete = true
mon data avail warn = 2
mon data avail crit = 1
# the default 1 s per paxos round made startup 16 s instead of 6 (radosgw creates its pools one round each)
paxos propose interval = 0.05
paxos min wait = 0.01
[mon]
mon data = $DIR/mon
[osd]
osd data = $DIR/osd
osd objectstore = $store
osd memory target = 1073741824
bluestore block create = true
bluestore block size = 21474836480
bluestore fsck on mkfs = false
# bluestore closes and reopens its block file a dozen times while starting; each close waited for one 250 ms poll
bdev aio poll ms = 20
memstore device bytes = 21474836480
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$port
rgw dns name = 127.0.0.1
rgw thread pool size = 64
EOF
}

start() {
    local port=$1 store=${CEPH_STORE:-bluestore} t0 t fsid osd_uuid
    case $store in bluestore|memstore) ;; *) say "CEPH_STORE must be bluestore or memstore, not '$store'"; exit 2 ;; esac
    case $port in ''|*[!0-9]*) say "PORT must be a number, not '$port'"; exit 2 ;; esac
    for tool in ceph-mon ceph-osd radosgw ceph radosgw-admin monmaptool ceph-authtool curl; do
        command -v "$tool" > /dev/null || { say "$tool is missing (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common curl)"; exit 1; }
    done
    for name in rgw osd mon; do
        ours "$(pid_of "$name")" && { say "$DIR already runs a cluster ($name pid $(pid_of "$name")); stop it first"; exit 1; }
    done
    for p in "$port" $((port + 100)); do
        port_busy "$p" && { say "port $p on 127.0.0.1 is in use (S3 on PORT, the mon on PORT+100)"; exit 1; }
    done
    t0=$(now)
    rm -rf "$DIR/mon" "$DIR/osd" "$DIR/run" "$DIR/log" "$PIDS" "$DIR/env"
    mkdir -p "$DIR/mon" "$DIR/osd" "$DIR/run" "$DIR/log"
    fsid=$(cat /proc/sys/kernel/random/uuid)
    osd_uuid=$(cat /proc/sys/kernel/random/uuid)
    write_conf "$port" "$fsid" "$store"
    trap 'fail mon "a setup command failed (line $LINENO)"' ERR

    # Every key up front in one keyring, which the mon imports at mkfs.
    t=$(now)
    monmaptool --create --clobber --fsid "$fsid" --addv a "v1:127.0.0.1:$((port + 100))" "$DIR/monmap" > /dev/null
    ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' > /dev/null
    ceph-authtool "$DIR/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' > /dev/null
    ceph-authtool "$DIR/keyring" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' > /dev/null
    ceph-authtool "$DIR/keyring" --gen-key -n client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' > /dev/null
    ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring" "${as_root[@]}" >> "$DIR/log/mon.out" 2>&1
    launch mon ceph-mon -c "$CONF" -f "${as_root[@]}" -i a
    # `osd new` (idempotent for one uuid) is the mon's readiness check too: each try waits up to 3 s for an answer.
    local osd_id deadline=$(( $(now) + 40 * 1000000 ))
    until osd_id=$(timeout 10 ceph -c "$CONF" --connect-timeout 3 osd new "$osd_uuid" 2>> "$DIR/log/mon.out"); do
        ours "$(pid_of mon)" || fail mon "mon exited while starting"
        [ "$(now)" -lt "$deadline" ] || fail mon "the mon did not answer within 40 s"
    done
    [ "$osd_id" = 0 ] || fail mon "ceph osd new gave id '$osd_id', not 0"
    say "mon up in $(since "$t")"

    t=$(now)
    ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" "${as_root[@]}" >> "$DIR/log/osd.out" 2>&1 \
        || fail osd "ceph-osd --mkfs failed"
    [ "$(cat "$DIR/osd/type" 2>/dev/null)" = "$store" ] || fail osd "the OSD was made with '$(cat "$DIR/osd/type" 2>/dev/null)', not $store"
    launch osd ceph-osd -c "$CONF" -f "${as_root[@]}" -i 0
    # The OSD logs its own boot; `ceph osd stat` would start a Python interpreter per try.
    wait_for osd 60 grep -q 'state: booting -> active' "$(log_of osd)"
    say "osd up in $(since "$t") ($store)"

    t=$(now)
    trap 'fail rgw "a setup command failed (line $LINENO)"' ERR
    start_gateway "$port"
    timeout 30 radosgw-admin -c "$CONF" user create --uid=test --display-name=test \
        --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >> "$DIR/log/rgw.out" 2>&1 \
        || fail rgw "radosgw-admin user create failed"
    say "rgw up in $(since "$t")"
    trap - ERR

    cat > "$DIR/env.new" <<EOF
AWS_ACCESS_KEY_ID=$ACCESS_KEY
AWS_SECRET_ACCESS_KEY=$SECRET_KEY
AWS_ENDPOINT_URL=http://127.0.0.1:$port
AWS_REGION=us-east-1
EOF
    mv "$DIR/env.new" "$DIR/env"
    say "ready: http://127.0.0.1:$port in $(since "$t0") (DIR $DIR)"
}

case $cmd in
    start)
        [ $# -le 3 ] || usage
        start "${3:-7480}" ;;
    stop)
        [ $# = 2 ] || usage
        t0=$(now)
        stop_all
        rm -rf "$DIR/mon" "$DIR/osd" "$DIR/run" "$DIR/monmap"
        say "stopped in $(since "$t0")" ;;
    stop-gateway)
        [ $# = 2 ] || usage
        stop_daemon rgw ;;
    start-gateway)
        [ $# = 2 ] || usage
        [ -f "$DIR/env" ] || { say "$DIR has no cluster (no env file): run start first"; exit 1; }
        ours "$(pid_of rgw)" && { say "radosgw already runs (pid $(pid_of rgw))"; exit 0; }
        ours "$(pid_of osd)" && ours "$(pid_of mon)" || { say "$DIR's mon or osd is not running: run start"; exit 1; }
        t0=$(now)
        on_failure_stop="stop_daemon rgw"
        trap 'fail rgw "a command failed (line $LINENO)"' ERR
        port=$(port_of_env)
        port_busy "$port" && { say "port $port is in use by something else"; exit 1; }
        start_gateway "$port"
        say "rgw up in $(since "$t0")" ;;
    *) usage ;;
esac
