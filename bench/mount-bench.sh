#!/usr/bin/env bash
# bench/mount-bench.sh: TimeTravel's FUSE mount (issue 3) against squashfuse_ll, restic mount, borg mount and the
# native directory, measured side by side in one run.
#
# Usage: bench/mount-bench.sh [DATA_DIR] [WORK_DIR]     (run as root: it drops caches and mounts)
#   DATA_DIR (default /var/tmp/mbench-data): the source tree, made once and reused:
#       src/big.bin   a BIG_MB MiB incompressible file (/dev/urandom)
#       src/tree/     ~1 GB of real files (/usr/share without dotnet, /usr/include, /usr/lib/{python3,gcc}) topped up with small files
#                     until the whole source has MIN_ENTRIES entries
#       tiny/         a three-file source for the many-snapshot stores
#   WORK_DIR (default /var/tmp/mbench-work): stores, repositories, the squashfs image, mount points, logs.
#       Stores are made once and reused (delete WORK_DIR to start over).
# Environment: TT (timetravel executable, default /tmp/tt-mbench-bin/timetravel), REPS (3; cold/warm figures are
#   the median of REPS runs), BIG_MB (1024), MIN_ENTRIES (100000), TT_SNAPS (1000), PEER_SNAPS (100),
#   TREE_FROM ("share include lib/python3 lib/gcc", under /usr), WAIT_FOR (a pgrep -f pattern to wait for before timing; default store-bench.sh), WAIT_MAX (2400 s).
# Cold = freshly mounted daemon + `sync; echo 3 > /proc/sys/vm/drop_caches`; warm = the same command again at once.
# The tools take turns going first in each repetition (the host's own cache favours whoever read last).
# Every figure is printed as a table at the end; raw figures go to WORK_DIR/results.tsv.
set -euo pipefail

DATA=$(realpath -m "${1:-/var/tmp/mbench-data}")
WORK=$(realpath -m "${2:-/var/tmp/mbench-work}")
TT=${TT:-/tmp/tt-mbench-bin/timetravel}
if [ ! -x "$TT" ]; then   # build the CLI being measured when none was given
    (cd "$(dirname "$0")/.." && TT_ARTIFACTS=/tmp/art-mbench dotnet publish cli/timetravel/TimeTravel.Cli.csproj \
        -c Release -nologo -v quiet -o "$(dirname "$TT")" >&2)
fi
REPS=${REPS:-3}
BIG_MB=${BIG_MB:-1024}
MIN_ENTRIES=${MIN_ENTRIES:-100000}
TT_SNAPS=${TT_SNAPS:-1000}
PEER_SNAPS=${PEER_SNAPS:-100}
WAIT_FOR=${WAIT_FOR-store-bench.sh}
WAIT_MAX=${WAIT_MAX:-2400}
TREE_FROM=${TREE_FROM:-share include lib/python3 lib/gcc}   # directories under /usr copied into src/tree
export RESTIC_PASSWORD=mount-bench BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes

[[ $(id -u) == 0 ]] || { echo "run as root (drop_caches, mounts)" >&2; exit 2; }
for c in "$TT" mksquashfs squashfuse_ll restic borg fusermount3 python3; do
    command -v "$c" >/dev/null || { echo "missing: $c" >&2; exit 2; }
done

SRC=$DATA/src
TINY=$DATA/tiny
MNT=$WORK/mnt
LOG=$WORK/logs
RES=$WORK/results.tsv
TOOLS=(tt squash restic borg native)
mkdir -p "$DATA" "$WORK" "$MNT" "$LOG"

declare -A PID=()          # tool -> daemon pid of the current mount
declare -A ROOT=()         # tool -> the source directory as seen through the mount
PIDS_SEEN=()               # every daemon started, for the cleanup

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

cleanup() {
    local rc=$?
    set +e
    for mp in "$MNT"/*; do
        if mountpoint -q "$mp" 2>/dev/null; then umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null; fi
    done
    for p in "${PIDS_SEEN[@]}"; do
        if kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null; sleep 0.5; kill -9 "$p" 2>/dev/null; fi
    done
    exit $rc
}
trap cleanup EXIT INT TERM

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# ---------------------------------------------------------------- data
make_data() {
    mkdir -p "$SRC" "$TINY"
    if [[ ! -f $DATA/.big-done ]]; then
        log "data: $BIG_MB MiB of /dev/urandom -> $SRC/big.bin"
        head -c "$((BIG_MB * 1048576))" /dev/urandom > "$SRC/big.bin"
        touch "$DATA/.big-done"
    fi
    if [[ ! -f $DATA/.tree-done ]]; then
        log "data: copying /usr/{$TREE_FROM} (without share/dotnet) -> $SRC/tree"
        rm -rf "$SRC/tree"; mkdir -p "$SRC/tree"
        tar -C /usr -cf - --exclude=share/dotnet $TREE_FROM | tar -C "$SRC/tree" -xf -
        local n; n=$(find "$SRC" | wc -l)
        if (( n < MIN_ENTRIES )); then
            log "data: $n entries; adding $((MIN_ENTRIES - n + 500)) small files"
            python3 - "$SRC/tree/small" "$((MIN_ENTRIES - n + 500))" <<'EOF'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rnd = random.Random(3)
words = open('/usr/share/dict/words').read().split() if os.path.exists('/usr/share/dict/words') else \
    [f'w{i:x}' for i in range(5000)]
for i in range(count):
    d = os.path.join(root, f'd{i // 500:03d}')
    if i % 500 == 0: os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f'f{i:06d}.txt'), 'w') as f:
        f.write(' '.join(rnd.choice(words) for _ in range(rnd.randint(10, 600))) + '\n')
EOF
        fi
        touch "$DATA/.tree-done"
    fi
    if [[ ! -f $TINY/a ]]; then
        echo alpha > "$TINY/a"; echo beta > "$TINY/b"; mkdir -p "$TINY/d"; echo gamma > "$TINY/d/c"
    fi
    log "data: $(find "$SRC" | wc -l) entries, $(du -sh --apparent-size "$SRC" | cut -f1) in $SRC;" \
        "tree $(du -sh --apparent-size "$SRC/tree" | cut -f1), $(find "$SRC/tree" | wc -l) entries"
}

# ---------------------------------------------------------------- backups (made once)
make_backups() {
    if [[ ! -f $WORK/.tt-done ]]; then
        log "backup: timetravel"; rm -rf "$WORK/tt-store"
        "$TT" --store "$WORK/tt-store" init "$SRC" >/dev/null
        /usr/bin/time -f "timetravel snapshot: %e s, %P CPU, %M KB max RSS" "$TT" --store "$WORK/tt-store" snapshot -q
        touch "$WORK/.tt-done"
    fi
    if [[ ! -f $WORK/.squash-done ]]; then
        log "backup: mksquashfs -comp zstd"; rm -f "$WORK/image.sqfs"
        /usr/bin/time -f "mksquashfs: %e s, %P CPU" mksquashfs "$SRC" "$WORK/image.sqfs" -comp zstd -noappend -quiet -no-progress
        touch "$WORK/.squash-done"
    fi
    if [[ ! -f $WORK/.restic-done ]]; then
        log "backup: restic"; rm -rf "$WORK/restic"
        restic -q -r "$WORK/restic" init
        /usr/bin/time -f "restic backup: %e s, %P CPU" restic -q -r "$WORK/restic" backup "$SRC"
        touch "$WORK/.restic-done"
    fi
    if [[ ! -f $WORK/.borg-done ]]; then
        log "backup: borg"; rm -rf "$WORK/borg"
        borg init --encryption=none "$WORK/borg"
        /usr/bin/time -f "borg create: %e s, %P CPU" borg create --compression lz4 "$WORK/borg::a" "$SRC"
        touch "$WORK/.borg-done"
    fi
}

# Stores with many snapshots of the tiny source, for the mount-ready figure.
make_many() {
    if [[ ! -f $WORK/.tt-many-done ]]; then
        log "many: $TT_SNAPS timetravel snapshots"; rm -rf "$WORK/tt-many"
        "$TT" --store "$WORK/tt-many" init "$TINY" >/dev/null
        local i t
        for ((i = 0; i < TT_SNAPS; i++)); do
            t=$(date -u -d "2024-01-01 00:00:00 UTC + $((i * 7)) hours" +%Y-%m-%dT%H:%M:%S+00:00)
            echo "$i" > "$TINY/d/counter"
            "$TT" --store "$WORK/tt-many" snapshot -q --time "$t" >/dev/null
        done
        touch "$WORK/.tt-many-done"
    fi
    if [[ ! -f $WORK/.restic-many-done ]]; then
        log "many: $PEER_SNAPS restic snapshots"; rm -rf "$WORK/restic-many"
        restic -q -r "$WORK/restic-many" init
        for ((i = 0; i < PEER_SNAPS; i++)); do
            echo "$i" > "$TINY/d/counter"
            restic -q -r "$WORK/restic-many" backup --time "$(date -u -d "2024-01-01 + $i days" '+%Y-%m-%d %H:%M:%S')" "$TINY" >/dev/null
        done
        touch "$WORK/.restic-many-done"
    fi
    if [[ ! -f $WORK/.borg-many-done ]]; then
        log "many: $PEER_SNAPS borg archives"; rm -rf "$WORK/borg-many"
        borg init --encryption=none "$WORK/borg-many"
        for ((i = 0; i < PEER_SNAPS; i++)); do
            echo "$i" > "$TINY/d/counter"
            borg create --compression lz4 "$WORK/borg-many::a$(printf %04d "$i")" "$TINY"
        done
        touch "$WORK/.borg-many-done"
    fi
}

# ---------------------------------------------------------------- mounting
wait_for_path() {  # PATH PID: until PATH lists (or the daemon died / 120 s)
    local deadline=$((SECONDS + 120))
    until ls "$1" >/dev/null 2>&1; do
        kill -0 "$2" 2>/dev/null || { echo "daemon $2 died; see $LOG" >&2; return 1; }
        (( SECONDS < deadline )) || { echo "$1 did not appear" >&2; return 1; }
        sleep 0.01
    done
}

# mount_tool TOOL [STORE-VARIANT]: mounts and sets PID[TOOL] and ROOT[TOOL]; prints nothing.
mount_tool() {
    local tool=$1 variant=${2:-main} mp=$MNT/$1 out
    mkdir -p "$mp"
    case $tool in
    tt)
        local store=$WORK/tt-store; [[ $variant == many ]] && store=$WORK/tt-many
        out=$("$TT" --store "$store" mount "$mp")
        PID[$tool]=$(sed -n 's/.*(pid \([0-9]*\).*/\1/p' <<<"$out")
        ;;
    squash)
        squashfuse_ll -f "$WORK/image.sqfs" "$mp" >>"$LOG/squash.log" 2>&1 &
        PID[$tool]=$!
        ;;
    restic)
        local repo=$WORK/restic; [[ $variant == many ]] && repo=$WORK/restic-many
        restic -r "$repo" mount "$mp" >>"$LOG/restic.log" 2>&1 &
        PID[$tool]=$!
        ;;
    borg)
        local repo=$WORK/borg::a; [[ $variant == many ]] && repo=$WORK/borg-many
        borg mount -f "$repo" "$mp" >>"$LOG/borg.log" 2>&1 &
        PID[$tool]=$!
        ;;
    native) PID[$tool]=; ROOT[$tool]=$SRC; return 0 ;;
    esac
    PIDS_SEEN+=("${PID[$tool]}")
    case $tool in
    tt) wait_for_path "$mp/latest/" "${PID[$tool]}"; ROOT[$tool]=$mp/$(readlink "$mp/latest")$SRC ;;
    squash) wait_for_path "$mp/big.bin" "${PID[$tool]}"; ROOT[$tool]=$mp ;;
    restic) wait_for_path "$mp/snapshots/latest/" "${PID[$tool]}"; ROOT[$tool]=$mp/snapshots/latest$SRC ;;
    borg) wait_for_path "$mp${SRC}/" "${PID[$tool]}"; ROOT[$tool]=$mp$SRC ;;
    esac
}

declare -A HWM=()   # tool -> largest VmHWM (kB) seen at unmount
umount_tool() {
    local tool=$1 mp=$MNT/$1 p=${PID[$1]:-}
    [[ $tool == native ]] && return 0
    mountpoint -q "$mp" || { PID[$tool]=; return 0; }
    if [[ -n $p && -r /proc/$p/status ]]; then
        local h; h=$(awk '/VmHWM/ {print $2}' "/proc/$p/status")
        (( h > ${HWM[$tool]:-0} )) && HWM[$tool]=$h
    fi
    if [[ $tool == tt ]]; then "$TT" umount "$mp" >/dev/null; else umount "$mp"; fi
    local i
    if [[ -n $p ]]; then for ((i = 0; i < 200; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done; fi
    if [[ -n $p ]] && kill -0 "$p" 2>/dev/null; then log "$tool daemon $p still alive after unmount; killing"; kill "$p"; fi
    PID[$tool]=
    return 0
}

cpu_ticks() {  # utime+stime of the daemon (clock ticks)
    local p=${PID[$1]:-}
    if [[ -n $p && -r /proc/$p/stat ]]; then awk '{print $14 + $15}' "/proc/$p/stat"; else echo 0; fi
}

# ---------------------------------------------------------------- measuring
# timed TOOL TEST REP COMMAND...: runs COMMAND (stdout = a number: bytes or lines), appends a result line.
timed() {
    local tool=$1 test=$2 rep=$3; shift 3
    local c0 c1 t0 t1 out
    c0=$(cpu_ticks "$tool"); t0=$(now)
    out=$("$@")
    t1=$(now); c1=$(cpu_ticks "$tool")
    local s; s=$(elapsed "$t0" "$t1")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$test" "$rep" "$s" "$out" "$(( (c1 - c0) * 10 ))" >>"$RES"
    log "$tool $test #$rep: ${s} s, result $out, daemon CPU $(( (c1 - c0) * 10 )) ms"
}
ddread() { dd if="$1" of=/dev/null bs=1M 2>&1 | awk '/bytes/ {print $1}'; }
tarcount() { tar -C "$1" -cf - . | wc -c; }
findcount() { find "$1" | wc -l; }
findsize() { find "$1" -printf '%s\n' | wc -l; }

fresh() {  # remount TOOL and drop caches: the "cold" state
    umount_tool "$1"; mount_tool "$1"; drop_caches
}

one_rep() {
    local tool=$1 rep=$2
    fresh "$tool"
    timed "$tool" read-cold "$rep" ddread "${ROOT[$tool]}/big.bin"
    timed "$tool" read-warm1 "$rep" ddread "${ROOT[$tool]}/big.bin"
    timed "$tool" read-warm "$rep" ddread "${ROOT[$tool]}/big.bin"
    fresh "$tool"
    timed "$tool" tar-cold "$rep" tarcount "${ROOT[$tool]}/tree"
    fresh "$tool"
    timed "$tool" find-cold "$rep" findcount "${ROOT[$tool]}"
    timed "$tool" find-warm "$rep" findcount "${ROOT[$tool]}"
    fresh "$tool"
    timed "$tool" findsize-cold "$rep" findsize "${ROOT[$tool]}"
    timed "$tool" findsize-warm "$rep" findsize "${ROOT[$tool]}"
    umount_tool "$tool"
}

ready_time() {  # TOOL VARIANT REP: from the mount command until `ls MP/<snapshot>` answers
    local tool=$1 variant=$2 rep=$3 mp=$MNT/$1 t0 t1 target
    mkdir -p "$mp"; drop_caches
    case $tool in
    tt) if [[ $variant == many ]]; then target=$mp/$TT_MANY_LAST; else target=$mp/$TT_MAIN_NAME; fi ;;
    squash) target=$mp/tree ;;
    restic) target=$mp/snapshots/latest/ ;;
    borg) if [[ $variant == many ]]; then target=$mp/a$(printf %04d $((PEER_SNAPS - 1))); else target=$mp/a$SRC; fi ;;
    esac
    t0=$(now)
    case $tool in
    tt) local store=$WORK/tt-store; [[ $variant == many ]] && store=$WORK/tt-many
        PID[$tool]=$("$TT" --store "$store" mount "$mp" | sed -n 's/.*(pid \([0-9]*\).*/\1/p'); PIDS_SEEN+=("${PID[$tool]}") ;;
    squash) squashfuse_ll -f "$WORK/image.sqfs" "$mp" >>"$LOG/squash.log" 2>&1 & PID[$tool]=$!; PIDS_SEEN+=($!) ;;
    restic) local repo=$WORK/restic; [[ $variant == many ]] && repo=$WORK/restic-many
        restic -r "$repo" mount "$mp" >>"$LOG/restic.log" 2>&1 & PID[$tool]=$!; PIDS_SEEN+=($!) ;;
    borg) local repo=$WORK/borg; [[ $variant == many ]] && repo=$WORK/borg-many
        borg mount -f "$repo" "$mp" >>"$LOG/borg.log" 2>&1 & PID[$tool]=$!; PIDS_SEEN+=($!) ;;
    esac
    wait_for_path "$target" "${PID[$tool]}"
    t1=$(now)
    local s; s=$(elapsed "$t0" "$t1")
    printf '%s\t%s\t%s\t%s\t%s\t0\n' "$tool" "ready-$variant" "$rep" "$s" "$(ls "$target" | wc -l)" >>"$RES"
    log "$tool ready-$variant #$rep: $s s ($target)"
    umount_tool "$tool"
}

# ---------------------------------------------------------------- main
make_data
make_backups
make_many
TT_MAIN_NAME=$("$TT" --store "$WORK/tt-store" list | awk 'NR > 1 {n = $1} END {print n}')
TT_MANY_LAST=$("$TT" --store "$WORK/tt-many" list | awk 'NR > 1 {n = $1} END {print n}')
log "timetravel stores: main snapshot $TT_MAIN_NAME; many: $("$TT" --store "$WORK/tt-many" list | tail -n +2 | wc -l) snapshots, last $TT_MANY_LAST"

waited=0
while [[ -n $WAIT_FOR ]] && pgrep -f "$WAIT_FOR" >/dev/null && (( waited < WAIT_MAX )); do
    (( waited == 0 )) && log "waiting while '$WAIT_FOR' runs (up to $WAIT_MAX s)"
    sleep 30; waited=$((waited + 30))
done
if [[ -n $WAIT_FOR ]] && pgrep -f "$WAIT_FOR" >/dev/null; then log "WARNING: '$WAIT_FOR' still running; figures may be disturbed"; fi

{
    echo "# mount-bench $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs, $(free -g | awk '/Mem/ {print $2}') GiB; REPS=$REPS"
    printf 'tool\ttest\trep\tseconds\tresult\tdaemon_cpu_ms\n'
} >"$RES"
log "load before timing: $(cat /proc/loadavg)"

log "warm-up pass (first-touch memory; discarded)"
for tool in "${TOOLS[@]}"; do
    mount_tool "$tool"
    ddread "${ROOT[$tool]}/big.bin" >/dev/null
    tarcount "${ROOT[$tool]}/tree" >/dev/null
    umount_tool "$tool"
done
drop_caches

# The tools take turns at going first: this VM's disk sits on a host whose own page cache keeps whatever was read
# last, so a fixed order would let one tool always read data the host has just cached and another always what it has
# evicted. Rotating the order gives every tool every position.
for ((rep = 1; rep <= REPS; rep++)); do
    n=${#TOOLS[@]}
    for ((k = 0; k < n; k++)); do one_rep "${TOOLS[(k + rep - 1) % n]}" "$rep"; done
done
for ((rep = 1; rep <= REPS; rep++)); do
    for tool in tt squash restic borg; do ready_time "$tool" main "$rep"; done
    for tool in tt restic borg; do ready_time "$tool" many "$rep"; done
done
log "load after timing: $(cat /proc/loadavg)"

# ---------------------------------------------------------------- report
BIG_BYTES=$(stat -c %s "$SRC/big.bin")
python3 - "$RES" "$BIG_BYTES" "$TT_SNAPS" "$PEER_SNAPS" "${HWM[tt]:-0}" "${HWM[squash]:-0}" "${HWM[restic]:-0}" "${HWM[borg]:-0}" <<'EOF'
import sys, statistics, collections
res, big, tt_snaps, peer_snaps = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
hwm = dict(zip(['tt', 'squash', 'restic', 'borg'], map(int, sys.argv[5:9])))
rows = collections.defaultdict(list); results = collections.defaultdict(set); cpu = collections.defaultdict(list)
for line in open(res):
    if line.startswith('#') or line.startswith('tool\t'): continue
    tool, test, rep, s, out, c = line.rstrip('\n').split('\t')
    rows[tool, test].append(float(s)); results[tool, test].add(out); cpu[tool, test].append(int(c))
tools = ['tt', 'squash', 'restic', 'borg', 'native']
names = {'tt': 'TimeTravel', 'squash': 'squashfuse_ll', 'restic': 'restic mount', 'borg': 'borg mount', 'native': 'native'}
def med(t, k): return statistics.median(rows[t, k]) if rows.get((t, k)) else None
tests = [('read-cold', 'cold seq. read 1 GiB (GB/s)', True), ('read-warm', 'warm seq. read 1 GiB (GB/s)', True),
         ('tar-cold', 'tar c tree | wc -c, cold (s)', False),
         ('find-cold', 'find | wc -l, cold (s)', False), ('find-warm', 'find | wc -l, warm (s)', False),
         ('findsize-cold', "find -printf '%s\\n', cold (s)", False), ('findsize-warm', "find -printf '%s\\n', warm (s)", False),
         ('ready-main', 'mount -> ls answers, 1 snapshot (s)', False),
         ('ready-many', f'mount -> ls answers, many snapshots (s) [TT {tt_snaps}, restic/borg {peer_snaps}]', False)]
def fmt(v): return '-' if v is None else (f'{v:.2f}' if v >= 0.1 else f'{v:.3f}')
def value(t, k, rate):
    m = med(t, k)
    if m is None: return None
    return big / m / 1e9 if rate else m
print()
print(f'Medians of the runs; GB = 10^9 bytes. Ratio = how many times better TimeTravel is (>1 = TimeTravel faster).')
hdr = ['test'] + [names[t] for t in tools] + ['TT/squash', 'TT/restic', 'TT/borg', 'TT/native']
print('| ' + ' | '.join(hdr) + ' |'); print('|' + '---|' * len(hdr))
for k, label, rate in tests:
    vals = {t: value(t, k, rate) for t in tools}
    cells = [label] + [fmt(vals[t]) for t in tools]
    for t in ['squash', 'restic', 'borg', 'native']:
        a, b = vals['tt'], vals[t]
        if a is None or b is None or a == 0 or b == 0: cells.append('-')
        else: cells.append(f'{(a / b if rate else b / a):.2f}x')
    print('| ' + ' | '.join(cells) + ' |')
print('| daemon peak RSS, VmHWM (MiB) | ' + ' | '.join(f'{hwm[t] / 1024:.0f}' if hwm.get(t) else '-' for t in tools) + ' | | | | |')
print()
print('Daemon CPU time per test (median ms) / wall (median s):')
for k, label, rate in tests[:7]:
    print(f'  {k:14s} ' + '  '.join(f'{names[t]}: {statistics.median(cpu[t, k]) if cpu.get((t, k)) else 0:.0f} ms / {fmt(med(t, k))} s' for t in tools))
print()
print('Outputs (bytes or lines; should agree between tools):')
for k, _, _ in tests:
    print(f'  {k:14s} ' + '  '.join(f'{names[t]}: {",".join(sorted(results[t, k])) or "-"}' for t in tools))
print()
print('All runs (s):')
for (t, k), v in sorted(rows.items()):
    print(f'  {t:7s} {k:14s} ' + ' '.join(f'{x:.3f}' for x in v))
EOF
