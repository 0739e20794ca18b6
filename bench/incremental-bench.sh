#!/usr/bin/env bash
# Incremental snapshots (issue 4): how long the snapshot after 100 changes takes with the change journal, with a
# full walk, and with restic, borg and rsync --link-dest, on trees of 100,000 and 1,000,000 small files; and what the
# tracker costs a write-heavy workload. Needs root (fanotify, drop_caches), restic, borg, rsync, python3.
#
#   bench/incremental-bench.sh [FILES|overhead...]        default: 100000 overhead 1000000
#
# Environment: BENCH_ROOT (default /var/tmp/tt-ibench; must be ext4 or similar, fanotify-markable), TT_BIN (the
# published CLI, default /tmp/tt-ibench-bin; built when missing), INITIAL_TIMEOUT (seconds allowed for each peer's
# initial backup, default 1800; a peer that exceeds it is left out of that tree's table), OVERHEAD_RUNS (default 3).
# "overhead" in the list measures the tracker's cost to a write-heavy workload (untar /usr/share, then sync), in runs
# that alternate no tracker, `track --no-ranges` (file-level) and `track` (with the range tracker, whose BPF object
# kernel/Bpf/build.sh puts next to the CLI), or no tracker and `track` on a timetravel without ranges. Timed runs
# start with `sync; echo 3 > /proc/sys/vm/drop_caches` and wait while another benchmark (store-bench.sh,
# mount-bench.sh) runs, because they share this machine. BENCH_NO_WAIT=1 skips that wait (smoke runs only).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${BENCH_ROOT:-/var/tmp/tt-ibench}
BIN=${TT_BIN:-/tmp/tt-ibench-bin}
INITIAL_TIMEOUT=${INITIAL_TIMEOUT:-1800}
OVERHEAD_RUNS=${OVERHEAD_RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 overhead 1000000)
export RESTIC_PASSWORD=bench BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
tt() { "$BIN/timetravel" "$@"; }

if [ ! -x "$BIN/timetravel" ]; then
    log "building the CLI into $BIN"
    (cd "$REPO" && TT_ARTIFACTS=/tmp/art-ibench dotnet publish cli/timetravel/TimeTravel.Cli.csproj -c Release -o "$BIN" >&2)
fi

wait_quiet() {
    [ "${BENCH_NO_WAIT:-0}" = 1 ] && return 0   # smoke runs only
    local said=0
    while pgrep -f "store-bench.sh|mount-bench.sh" >/dev/null; do
        [ $said = 1 ] || log "waiting for another benchmark to finish: $(pgrep -af 'store-bench.sh|mount-bench.sh' | tr '\n' ' ')"
        said=1; sleep 10
    done
}
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# timed VAR CMD...: runs CMD on a quiet machine with cold caches and stores its wall time in seconds in VAR.
timed() {
    local var=$1; shift
    wait_quiet; drop_caches
    local t0 t1
    t0=$(date +%s.%N)
    "$@"
    t1=$(date +%s.%N)
    printf -v "$var" '%.2f' "$(echo "$t1 - $t0" | bc -l)"
}

TRACKER_PID=
stop_tracker() {
    if [ -n "$TRACKER_PID" ] && kill -0 "$TRACKER_PID" 2>/dev/null; then
        kill -TERM "$TRACKER_PID"; wait "$TRACKER_PID" || true
    fi
    TRACKER_PID=
}
start_tracker() { # STORE LOG [TRACK ARGS...]
    # Not through the tt function: that would background a subshell, and killing it would leave the tracker running.
    local store=$1 logf=$2; shift 2
    "$BIN/timetravel" --store "$store" track "$@" 2>"$logf" &
    TRACKER_PID=$!
    for _ in $(seq 300); do grep -q "watching" "$logf" 2>/dev/null && return 0; sleep 0.1; done
    log "tracker did not start: $(cat "$logf")"; return 1
}
trap stop_tracker EXIT

# generate DIR N: N files of about 100 bytes, 1,000 per directory.
generate() {
    python3 - "$1" "$2" <<'EOF'
import os, sys, random
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(n)
per = 1000
for d in range((n + per - 1) // per):
    dd = os.path.join(root, f"d{d:04d}")
    os.makedirs(dd, exist_ok=True)
    for f in range(min(per, n - d * per)):
        fd = os.open(os.path.join(dd, f"f{f:04d}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, (f"{d}/{f} " + "%032x" % rng.getrandbits(128) * 2).encode() + rng.randbytes(24))
        os.close(fd)
EOF
}

# change DIR N: the same 100 changes for every tool: modify 60, create 20, delete 20 files spread over the tree.
change() {
    python3 - "$1" "$2" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
dirs = (n + 999) // 1000
def path(i, prefix="f"):
    d = (i * 7919) % dirs
    return os.path.join(root, f"d{d:04d}", f"{prefix}{(i * 104729) % 1000:04d}")
for i in range(60):
    with open(path(i), "ab") as f: f.write(b"modified by the incremental benchmark\n")
for i in range(60, 80):
    with open(path(i, "new"), "wb") as f: f.write(b"created by the incremental benchmark %d\n" % i)
for i in range(80, 100):
    os.unlink(path(i))
EOF
}

method_of_latest() { tt --store "$1" list --json | python3 -c 'import json,sys; s=json.load(sys.stdin)[-1]; print(s["method"], s["root"], s["durationMs"], s.get("reason",""))'; }

RESULTS=$ROOT/results.txt
mkdir -p "$ROOT"
: > "$RESULTS"
declare -A T

run_tree() {
    local n=$1 dir=$ROOT/n$n
    local src=$dir/src
    log "== $n files: preparing $dir"
    rm -rf "$dir"; mkdir -p "$dir"
    generate "$src" "$n"
    log "generated $(find "$src" -type f | wc -l) files"

    # Initial backups, peers first so the tracker (which watches the whole filesystem) does not see their writes.
    local ok_restic=1 ok_borg=1 ok_rsync=1
    restic init --repo "$dir/restic" >/dev/null
    timed "T[$n,restic_init]" timeout "$INITIAL_TIMEOUT" restic --repo "$dir/restic" backup -q "$src" || { ok_restic=0; T[$n,restic_init]=">$INITIAL_TIMEOUT"; }
    log "restic initial: ${T[$n,restic_init]} s"
    borg init --encryption=none "$dir/borg"
    timed "T[$n,borg_init]" timeout "$INITIAL_TIMEOUT" borg create --compression lz4 "$dir/borg::initial" "$src" || { ok_borg=0; T[$n,borg_init]=">$INITIAL_TIMEOUT"; }
    log "borg initial: ${T[$n,borg_init]} s"
    timed "T[$n,rsync_init]" timeout "$INITIAL_TIMEOUT" rsync -a "$src/" "$dir/rsync.0/" || { ok_rsync=0; T[$n,rsync_init]=">$INITIAL_TIMEOUT"; }
    log "rsync initial: ${T[$n,rsync_init]} s"

    tt --store "$dir/tt" init "$src" >/dev/null
    start_tracker "$dir/tt" "$dir/track.log"
    timed "T[$n,tt_init]" tt --store "$dir/tt" snapshot -q
    log "timetravel initial: ${T[$n,tt_init]} s ($(method_of_latest "$dir/tt"))"
    # A copy of the store as it is now, for the --full run to see the same 100 changes the journal run sees.
    cp -a "$dir/tt" "$dir/tt-full"

    change "$src" "$n"
    sleep 1.5
    timed "T[$n,tt_journal]" tt --store "$dir/tt" snapshot -q
    read -r method root ms reason < <(method_of_latest "$dir/tt")
    T[$n,tt_journal_ms]=$ms
    log "timetravel journal: ${T[$n,tt_journal]} s wall, $ms ms in the writer; $method: $reason"
    [ "$method" = journal ] || { log "ERROR: the snapshot after the changes was not journal-based: $method $reason"; T[$n,tt_journal]="${T[$n,tt_journal]}(walk!)"; }
    stop_tracker
    rm -rf "$dir/tt-full/journal"   # the copy has no tracker: it walks
    timed "T[$n,tt_full]" tt --store "$dir/tt-full" snapshot -q --full
    read -r fmethod froot fms freason < <(method_of_latest "$dir/tt-full")
    T[$n,tt_full_ms]=$fms
    log "timetravel --full: ${T[$n,tt_full]} s ($fmethod: $freason)"
    if [ "$root" = "$froot" ]; then T[$n,roots]="equal"; else T[$n,roots]="DIFFER ($root vs $froot)"; fi
    log "journal and --full roots: ${T[$n,roots]}"

    if [ $ok_restic = 1 ]; then timed "T[$n,restic]" restic --repo "$dir/restic" backup -q "$src"; else T[$n,restic]=n/a; fi
    log "restic incremental: ${T[$n,restic]} s"
    if [ $ok_borg = 1 ]; then timed "T[$n,borg]" borg create --compression lz4 "$dir/borg::second" "$src"; else T[$n,borg]=n/a; fi
    log "borg incremental: ${T[$n,borg]} s"
    if [ $ok_rsync = 1 ]; then timed "T[$n,rsync]" rsync -a --link-dest="$dir/rsync.0" "$src/" "$dir/rsync.1/"; else T[$n,rsync]=n/a; fi
    log "rsync --link-dest incremental: ${T[$n,rsync]} s"

    {
        echo "tree $n files: initial backups (s): timetravel ${T[$n,tt_init]}, restic ${T[$n,restic_init]}, borg ${T[$n,borg_init]}, rsync ${T[$n,rsync_init]}"
        echo "tree $n files: incremental (s): tt-journal ${T[$n,tt_journal]} (writer ${T[$n,tt_journal_ms]} ms), tt-full ${T[$n,tt_full]} (writer ${T[$n,tt_full_ms]} ms), restic ${T[$n,restic]}, borg ${T[$n,borg]}, rsync ${T[$n,rsync]}; roots ${T[$n,roots]}"
    } | tee -a "$RESULTS" >&2
    log "removing $dir"
    rm -rf "$dir"
}

ratio() { python3 -c "import sys
a, b = sys.argv[1], sys.argv[2]
try: print(f'{float(b)/float(a):.1f}x')
except Exception: print('n/a')" "$1" "$2"; }

# The variants the overhead runs alternate: no tracker, file-level (`track --no-ranges`) and the range tracker
# (`track`) when this timetravel has one; otherwise no tracker and `track` as it is.
overhead_variants() {
    if tt track --help | grep -q -- --no-ranges; then echo "without files ranges"; else echo "without with"; fi
}
track_args_of() { if [ "$1" = files ]; then echo --no-ranges; fi; }

overhead() {
    local dir=$ROOT/overhead variants
    read -r -a variants <<<"$(overhead_variants)"
    if [[ " ${variants[*]} " == *" ranges "* && -z ${TIMETRAVEL_BPF_OBJECT:-} ]]; then
        "$REPO/kernel/Bpf/build.sh" "$BIN" >&2   # the range tracker finds its BPF object next to the binary
    fi
    rm -rf "$dir"; mkdir -p "$dir/src"
    tar -C /usr -cf "$dir/doc.tar" share
    local files; files=$(tar -tf "$dir/doc.tar" | wc -l)
    tt --store "$dir/tt" init "$dir/src" >/dev/null
    local -A runs=()
    local i mode t args
    for i in $(seq "$OVERHEAD_RUNS"); do
        for mode in "${variants[@]}"; do
            if [ "$mode" != without ]; then
                read -r -a args <<<"$(track_args_of "$mode")"
                start_tracker "$dir/tt" "$dir/track.log" "${args[@]}"
                if [ "$i" = 1 ]; then log "tracker $mode: $(tr '\n' ' ' <"$dir/track.log")"; fi
                if [ "$mode" = ranges ] && ! grep -q "changed-range tracking on" "$dir/track.log"; then
                    log "the range tracker did not start: $(cat "$dir/track.log")"; exit 1
                fi
            fi
            mkdir "$dir/src/run"
            timed t bash -c "tar -C '$dir/src/run' -xf '$dir/doc.tar' && sync"
            runs[$mode]+="$t "
            if [ "$mode" != without ]; then stop_tracker; fi
            rm -rf "$dir/src/run"
            log "untar $files entries, tracker $mode: $t s"
        done
    done
    # The range tracker's pinned maps outlive it (a restart keeps its record); this store goes, so they go too.
    local pins; pins=$(grep -o 'maps in /sys/fs/bpf/timetravel/[0-9a-f]*' "$dir/track.log" | head -n 1 | cut -d' ' -f3 || true)
    if [[ $pins =~ ^/sys/fs/bpf/timetravel/[0-9a-f]+$ ]]; then rm -rf -- "$pins"; fi
    local spec=() v
    for v in "${variants[@]}"; do spec+=("$v=${runs[$v]}"); done
    python3 - "$files" "${spec[@]}" <<'EOF' | tee -a "$RESULTS" >&2
import sys, statistics
files, runs = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
runs = {k: [float(x) for x in v.split()] for k, v in runs.items()}
base = statistics.median(runs["without"])
parts = [f"without {base:.2f} s {runs['without']}"]
for k, v in runs.items():
    if k != "without":
        m = statistics.median(v)
        parts.append(f"{k} {m:.2f} s {v}: {100 * (m - base) / base:+.1f}%")
print(f"tracker overhead: untar /usr/share ({files} entries) + sync, median of {len(runs['without'])}, alternating: " + "; ".join(parts))
EOF
    rm -rf "$dir"
}
for n in "${SIZES[@]}"; do if [ "$n" = overhead ]; then overhead; else run_tree "$n"; fi; done

echo
echo "| files | TimeTravel journal | TimeTravel --full | restic | borg | rsync --link-dest | restic / journal |"
echo "|---|---|---|---|---|---|---|"
for n in "${SIZES[@]}"; do
    [ "$n" != overhead ] || continue
    echo "| $n | ${T[$n,tt_journal]} s | ${T[$n,tt_full]} s ($(ratio "${T[$n,tt_journal]}" "${T[$n,tt_full]}")) | ${T[$n,restic]} s | ${T[$n,borg]} s | ${T[$n,rsync]} s | $(ratio "${T[$n,tt_journal]}" "${T[$n,restic]}") |"
done
echo
cat "$RESULTS"
