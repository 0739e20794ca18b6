#!/usr/bin/env bash
# Changed-range benchmark (issue 12): the snapshot after a few scattered writes into one big file, for TimeTravel
# with the range tracker, TimeTravel file-level, restic and borg, side by side in one run.
#
#   bench/range-bench.sh [WORK_DIR]
#
#   WORK_DIR  scratch space on ext4 (default /var/tmp/tt-rbench): the source files and every tool's repository;
#             removed at exit (KEEP_WORK=1 leaves it). Each case needs about (1 + peers) x its file size free.
#
# Cases (CASES, default "big db"), one after the other, each in a fresh WORK_DIR/CASE:
#   big  a BIG_GIB (10) GiB file of random data (a virtual-machine image stand-in), then BIG_WRITES (1000) random
#        4 KiB-aligned 4 KiB pwrites into it
#   db   a DB_GIB (2) GiB file of random pages (a database stand-in), then DB_WRITES (10000) random 8 KiB page writes
# Peers (PEERS, default "tt-ranges tt-files restic borg"):
#   tt-ranges  store A, `timetravel track` running (the eBPF range tracker next to fanotify)
#   tt-files   store B, `timetravel track --no-ranges` running (file-level: a changed file is read whole)
#   restic     restic 0.14 local repository;  borg: borg 1.2 --encryption=none --compression lz4
# Steps per case: make the file, sync; each peer's initial backup (not a result, logged); start both trackers; two
# TimeTravel snapshots per store (the first after a tracker starts is a gap and reads changed files whole, the
# second makes the range record continuous); the writes, fsync, sync; then each peer's next backup, cold (caches
# dropped before each: DROP=3, or DROP=1 for the page cache only, keeping dentries and inodes), timed: wall time,
# and the bytes it read from /proc/PID/io (rchar: through read calls; read_bytes: from the disk), read when the
# process has exited but is not yet reaped (waitid WNOWAIT), so they are its whole life's figures, threads and
# children included; and TimeTravel's own `bytesRead` and `reads`.
# Then `timetravel cat latest FILE | sha256sum` of each store must equal the file's sha256.
#
# Environment: TT (default /tmp/tt-rbench-bin/timetravel, AOT-published when missing: delete it after a rebase),
# TIMETRAVEL_BPF_OBJECT (else range-tracker.bpf.o next to TT, built by kernel/Bpf/build.sh when missing),
# BIG_GIB, DB_GIB, BIG_WRITES, DB_WRITES, SEED (1), CASES, PEERS, DROP (3), KEEP_WORK=1, TABLE_OUT
# (default /var/tmp/range-bench-table.txt). Dry run: BIG_GIB=1 DB_GIB=1 PEERS="tt-files restic borg".
# Needs root (fanotify, BPF, drop_caches), restic, borg, openssl, python3.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK_DIR=${1:-/var/tmp/tt-rbench}
TT=${TT:-/tmp/tt-rbench-bin/timetravel}
BIG_GIB=${BIG_GIB:-10}
DB_GIB=${DB_GIB:-2}
BIG_WRITES=${BIG_WRITES:-1000}
DB_WRITES=${DB_WRITES:-10000}
SEED=${SEED:-1}
DROP=${DROP:-3}
read -r -a CASES <<<"${CASES:-big db}"
read -r -a PEERS <<<"${PEERS:-tt-ranges tt-files restic borg}"
RES=$WORK_DIR/results
DATA_DIR=$WORK_DIR/none # bench-lib guards a data set kept between runs; this benchmark keeps none (its files are in WORK_DIR)
declare -A NAME=([tt-ranges]="TT ranges" [tt-files]="TT file-level" [restic]=restic [borg]=borg)
export TZ=UTC

. "$HERE/bench-lib.sh"

need_root
[[ $DROP == 1 || $DROP == 3 ]] || die "DROP=$DROP: 3 (page cache, dentries and inodes) or 1 (page cache only)"
for t in restic borg openssl python3 sha256sum findmnt; do command -v "$t" >/dev/null || die "$t is not installed"; done
for c in "${CASES[@]}"; do [[ $c == big || $c == db ]] || die "CASES: unknown case '$c' (big, db)"; done
for p in "${PEERS[@]}"; do [[ -n ${NAME[$p]:-} ]] || die "PEERS: unknown peer '$p' (tt-ranges, tt-files, restic, borg)"; done
has_peer() { [[ " ${PEERS[*]} " == *" $1 "* ]]; }
gib_of() { case $1 in big) echo "$BIG_GIB";; db) echo "$DB_GIB";; esac; }

# Room for the source file and one full copy of it per repository (random data does not compress), plus 2 GiB.
check_work_dir
mkdir -p "$(dirname "$WORK_DIR")"
largest=0; for c in "${CASES[@]}"; do (( $(gib_of "$c") > largest )) && largest=$(gib_of "$c"); done
need_kib=$(( (largest * (1 + ${#PEERS[@]}) + 2) * 1024 * 1024 ))
free_kib=$(df -Pk "$(dirname "$WORK_DIR")" | awk 'NR == 2 {print $4}')
(( free_kib >= need_kib )) || die "$(dirname "$WORK_DIR") has $(( free_kib / 1048576 )) GiB free; a ${largest} GiB case with ${#PEERS[@]} peers needs $(( need_kib / 1048576 )) GiB"
FSTYPE=$(findmnt -n -o FSTYPE --target "$(dirname "$WORK_DIR")")
[[ $FSTYPE == ext4 ]] || log "warning: $(dirname "$WORK_DIR") is $FSTYPE, not ext4: the range tracker is byte-exact on ext4 only"

publish_tt /tmp/art-rbench
FILES_TRACK=()
if "$TT" track --help | grep -q -- --no-ranges; then
    FILES_TRACK=(--no-ranges)
elif has_peer tt-ranges; then
    die "$TT has no range tracker (track --no-ranges is unknown); run with PEERS=\"tt-files restic borg\" for file-level only"
fi
if has_peer tt-ranges && [[ -z ${TIMETRAVEL_BPF_OBJECT:-} ]]; then
    [[ -x $HERE/../kernel/Bpf/build.sh ]] || die "no kernel/Bpf/build.sh to build the range tracker's BPF object"
    "$HERE/../kernel/Bpf/build.sh" "$(dirname "$TT")" >&2 || die "cannot build the BPF object into $(dirname "$TT")"
fi

fresh_work_dir "$RES"
peer_env
trap 'stop_trackers; exit 130' INT TERM
trap 'rc=$?; stop_trackers; (exit $rc); bench_cleanup' EXIT

drop_caches() { sync; echo "$DROP" > /proc/sys/vm/drop_caches; }
mib() { awk -v v="$1" 'BEGIN {printf "%.1f", v / 1048576}'; }

# measure KEY CMD...: cold run; stdout to $RES/KEY.out, stderr to $RES/KEY.err, and "wall_s rc rchar read_bytes"
# to $RES/KEY.io, read from /proc/PID/io after the command exits and before it is reaped.
measure() {
    local key=$1; shift
    drop_caches
    cut -d' ' -f1 /proc/loadavg >"$RES/$key.load" # other work on this shared machine skews a timing: the table shows it
    python3 - "$RES/$key" "$@" <<'EOF'
import os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
with open(out + ".out", "wb") as o, open(out + ".err", "wb") as e:
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=o, stderr=e)
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)  # exited, still a zombie: its /proc/PID/io is final
    wall = time.monotonic() - t0
    io = dict(line.split(": ") for line in open(f"/proc/{p.pid}/io").read().split("\n") if line)
    rc = p.wait()
with open(out + ".io", "w") as f:
    f.write(f"{wall:.2f} {rc} {io['rchar']} {io['read_bytes']}\n")
EOF
    local wall rc rchar rbytes
    read -r wall rc rchar rbytes <"$RES/$key.io"
    if (( rc != 0 )); then tail -5 "$RES/$key.err" >&2; die "$key: '$*' exited with $rc"; fi
    log "$key: $wall s, read $(mib "$rchar") MiB (rchar), $(mib "$rbytes") MiB from disk (read_bytes); load before $(cat "$RES/$key.load")"
}
io_field() { awk -v f="$2" '{print $f}' "$RES/$1.io"; }

# A TimeTravel snapshot's JSON (snapshot --json) as "method|reason|bytesRead|reads", reads "-" when not reported.
tt_summary() {
    python3 - "$RES/$1.out" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
r = s.get("reads")
reads = "-" if r is None else " ".join(f"{k}={v}" for k, v in r.items())
why = s.get("reason", "")
if len(why) > 300: why = why[:300] + f"... ({len(why) - 300} more characters)"  # one reason per walked-for file
print(f"{s['method']}|{why}|{s['bytesRead']}|{reads}")
EOF
}

# Trackers, stopped by pid at exit. The range tracker's pinned maps outlive it (so that a restart keeps its
# record); with the store gone they are garbage, so they go with the tracker (only the directory its log names).
declare -A TRACKER_PID=() TRACKER_LOG=()
stop_trackers() {
    local p pins
    for p in "${!TRACKER_PID[@]}"; do
        if kill -0 "${TRACKER_PID[$p]}" 2>/dev/null; then kill -TERM "${TRACKER_PID[$p]}"; wait "${TRACKER_PID[$p]}" || true; fi
        pins=$(grep -o 'maps in /sys/fs/bpf/timetravel/[0-9a-f]*' "${TRACKER_LOG[$p]}" | head -n 1 | cut -d' ' -f3 || true)
        if [[ $pins =~ ^/sys/fs/bpf/timetravel/[0-9a-f]+$ ]]; then rm -rf -- "$pins"; fi
        unset "TRACKER_PID[$p]" "TRACKER_LOG[$p]"
    done
}
start_tracker() { # PEER STORE LOG ARGS...
    local peer=$1 store=$2 logf=$3; shift 3
    "$TT" --store "$store" track "$@" 2>"$logf" &
    TRACKER_PID[$peer]=$! TRACKER_LOG[$peer]=$logf
    for _ in $(seq 300); do
        if grep -q "watching" "$logf" 2>/dev/null; then
            log "$peer tracker: $(tr '\n' ' ' <"$logf")"
            # Measuring a file-level tracker under the ranged one's name would be a wrong result, not a slow one.
            if [[ $peer == tt-ranges ]] && ! grep -q "changed-range tracking on" "$logf"; then die "the range tracker did not start: $(cat "$logf")"; fi
            return 0
        fi
        kill -0 "${TRACKER_PID[$peer]}" 2>/dev/null || break
        sleep 0.1
    done
    die "$peer tracker did not start: $(cat "$logf")"
}

# make_file PATH GIB: random data, deterministic per SEED (AES-CTR keystream), written and synced.
make_file() {
    openssl enc -aes-128-ctr -nosalt -pass "pass:range-bench-$SEED-$(basename "$1")" </dev/zero 2>/dev/null \
        | head -c "$(( $2 * 1024 * 1024 * 1024 ))" >"$1" || true # head closes the pipe: openssl's EPIPE is expected
    (( $(stat -c %s "$1") == $2 * 1024 * 1024 * 1024 )) || die "could not write $1"
    sync "$1"
}

# scatter PATH COUNT SIZE: COUNT pwrites of SIZE random bytes at random SIZE-aligned offsets, then fsync. Prints
# the bytes written and how many distinct 64 KiB regions they touched (what a 64 KiB-granular tracker must re-read).
scatter() {
    python3 - "$@" "$SEED" <<'EOF'
import os, random, sys
path, count, size, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
slots = os.stat(path).st_size // size
fd = os.open(path, os.O_WRONLY)
regions = set()
for _ in range(count):
    off = rng.randrange(slots) * size
    os.pwrite(fd, rng.randbytes(size), off)
    regions.update(range(off >> 16, (off + size - 1 >> 16) + 1))
os.fsync(fd); os.close(fd)
print(count * size, len(regions))
EOF
}

tt_store() { case $1 in tt-ranges) echo "$CASE_DIR/tt-a";; tt-files) echo "$CASE_DIR/tt-b";; esac; }
backup() { # KEY PEER: the peer's next backup of the case's source, measured
    case $2 in
        tt-*)   measure "$1" "$TT" --store "$(tt_store "$2")" snapshot --json ;;
        restic) measure "$1" restic --repo "$CASE_DIR/restic" backup -q "$CASE_DIR/src" ;;
        borg)   measure "$1" borg create --compression lz4 "$CASE_DIR/borg::$1" "$CASE_DIR/src" ;;
    esac
}

declare -A V
run_case() {
    local c=$1 gib; gib=$(gib_of "$c")
    local count size file
    case $c in big) count=$BIG_WRITES size=4096 file=vm-image.raw;; db) count=$DB_WRITES size=8192 file=database.db;; esac
    CASE_DIR=$WORK_DIR/$c
    mkdir -p "$CASE_DIR/src"
    local path=$CASE_DIR/src/$file
    log "== $c: making $path ($gib GiB of random data)"
    make_file "$path" "$gib"
    V[$c.size]=$(stat -c %s "$path")

    # Initial backups, before the trackers start so that they do not see the file being made.
    local p
    for p in "${PEERS[@]}"; do
        case $p in
            tt-*)   "$TT" --store "$(tt_store "$p")" init "$CASE_DIR/src" >/dev/null ;;
            restic) restic init -q --repo "$CASE_DIR/restic" >/dev/null ;;
            borg)   borg init --encryption=none "$CASE_DIR/borg" ;;
        esac
        log "${NAME[$p]}: initial backup (not a result)"
        backup "$c.$p.initial" "$p"
        V[$c.$p.initial]=$(io_field "$c.$p.initial" 1)
    done
    if has_peer tt-ranges; then start_tracker tt-ranges "$(tt_store tt-ranges)" "$CASE_DIR/track-a.log"; fi
    if has_peer tt-files; then start_tracker tt-files "$(tt_store tt-files)" "$CASE_DIR/track-b.log" "${FILES_TRACK[@]}"; fi
    for p in tt-ranges tt-files; do
        has_peer $p || continue
        for n in gap continuous; do
            backup "$c.$p.$n" "$p"
            log "${NAME[$p]} snapshot after the tracker started ($n): $(tt_summary "$c.$p.$n")"
        done
    done

    log "$c: $count random ${size}-byte writes into $path"
    local scattered; scattered=$(scatter "$path" "$count" "$size")
    read -r "V[$c.written]" "V[$c.regions]" <<<"$scattered"
    sync
    V[$c.sha]=$(sha256sum <"$path" | cut -d' ' -f1)
    log "$c: wrote $(mib "${V[$c.written]}") MiB into ${V[$c.regions]} distinct 64 KiB regions ($(mib $(( V[$c.regions] * 65536 ))) MiB); sha256 ${V[$c.sha]}"

    for p in "${PEERS[@]}"; do
        log "${NAME[$p]}: the backup after the writes"
        backup "$c.$p.next" "$p"
        V[$c.$p.wall]=$(io_field "$c.$p.next" 1)
        V[$c.$p.rchar]=$(io_field "$c.$p.next" 3)
        V[$c.$p.rbytes]=$(io_field "$c.$p.next" 4)
        V[$c.$p.load]=$(cat "$RES/$c.$p.next.load")
        if [[ $p == tt-* ]]; then
            local summary; summary=$(tt_summary "$c.$p.next")
            IFS='|' read -r "V[$c.$p.method]" "V[$c.$p.reason]" "V[$c.$p.bytesRead]" "V[$c.$p.reads]" <<<"$summary"
            log "${NAME[$p]}: ${V[$c.$p.method]} (${V[$c.$p.reason]}), bytesRead ${V[$c.$p.bytesRead]}, reads ${V[$c.$p.reads]}"
        fi
    done
    stop_trackers

    # The ranged (and the file-level) snapshot must hold exactly the file as it is now.
    for p in tt-ranges tt-files; do
        has_peer $p || continue
        V[$c.$p.sha]=$("$TT" --store "$(tt_store "$p")" cat latest "$path" | sha256sum | cut -d' ' -f1)
        if [[ ${V[$c.$p.sha]} == "${V[$c.sha]}" ]]; then V[$c.$p.verified]=equal; else V[$c.$p.verified]="DIFFERS (${V[$c.$p.sha]})"; fi
        log "${NAME[$p]}: timetravel cat of the file vs the source: ${V[$c.$p.verified]}"
    done
    log "removing $CASE_DIR"
    rm -rf -- "$CASE_DIR" "$RESTIC_CACHE_DIR" "$BORG_BASE_DIR"
}

for c in "${CASES[@]}"; do run_case "$c"; done

# ---------------------------------------------------------------------------------------------------------------
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f%%", 100 * a / b}'; }
times_faster() { awk -v a="$1" -v b="$2" 'BEGIN {if (a <= 0) print "-"; else printf "%.1fx", b / a}'; }
verdict() { if awk "BEGIN {exit !($2)}"; then echo "  met     $1"; else echo "  MISSED  $1"; fi; }
{
echo
echo "== range-bench $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM," \
     "$(uname -r), $FSTYPE, commit $(git -C "$HERE/.." rev-parse --short HEAD); restic $(restic version | cut -d' ' -f2), $(borg --version)"
echo "every backup cold (sync; echo $DROP > drop_caches before it); bytes from /proc/PID/io at exit: rchar = every read call (restic's"
echo "includes re-reading its own pack files from the page cache to store them), disk = read_bytes (what came from the disk)"
for c in "${CASES[@]}"; do
    size=${V[$c.size]}
    echo
    case $c in
        big) echo "case big: $(mib "$size") MiB file of random data, $BIG_WRITES random 4 KiB writes";;
        db)  echo "case db: $(mib "$size") MiB file of random pages, $DB_WRITES random 8 KiB page writes";;
    esac
    echo "  written $(mib "${V[$c.written]}") MiB into ${V[$c.regions]} distinct 64 KiB regions = $(mib $(( V[$c.regions] * 65536 ))) MiB ($(pct $(( V[$c.regions] * 65536 )) "$size") of the file)"
    echo "  initial backups (s, not a result): $(for p in "${PEERS[@]}"; do printf '%s %s; ' "${NAME[$p]}" "${V[$c.$p.initial]}"; done | sed 's/; $//')"
    printf '  %-14s %8s %11s %8s %11s %8s %12s %6s  %s\n' peer "wall s" "rchar MiB" "% file" "disk MiB" "% file" "TT bytesRead" load "TimeTravel's method and reads"
    for p in "${PEERS[@]}"; do
        printf '  %-14s %8s %11s %8s %11s %8s %12s %6s  %s\n' "${NAME[$p]}" "${V[$c.$p.wall]}" \
            "$(mib "${V[$c.$p.rchar]}")" "$(pct "${V[$c.$p.rchar]}" "$size")" "$(mib "${V[$c.$p.rbytes]}")" "$(pct "${V[$c.$p.rbytes]}" "$size")" \
            "${V[$c.$p.bytesRead]:--}" "${V[$c.$p.load]}" "${V[$c.$p.method]:+${V[$c.$p.method]}: ${V[$c.$p.reason]}; reads ${V[$c.$p.reads]}}"
    done
    fastest=tt-ranges; has_peer tt-ranges || fastest=tt-files
    if has_peer "$fastest"; then
        echo "  ${NAME[$fastest]} is faster than: $(for p in "${PEERS[@]}"; do [[ $p == "$fastest" ]] || printf '%s %s; ' "${NAME[$p]}" "$(times_faster "${V[$c.$fastest.wall]}" "${V[$c.$p.wall]}")"; done | sed 's/; $//')"
    fi
    for p in tt-ranges tt-files; do
        if has_peer $p; then echo "  ${NAME[$p]}: timetravel cat of the file after the snapshot vs the source's sha256: ${V[$c.$p.verified]}"; fi
    done
done
if has_peer tt-ranges && [[ " ${CASES[*]} " == *" big "* ]]; then
    echo
    echo "targets (issue 12, the big file):"
    verdict "bytes read <= 2% of the file: TimeTravel's bytesRead $(pct "${V[big.tt-ranges.bytesRead]}" "${V[big.size]}")" "${V[big.tt-ranges.bytesRead]} <= 0.02 * ${V[big.size]}"
    verdict "bytes read <= 2% of the file: the process's rchar $(pct "${V[big.tt-ranges.rchar]}" "${V[big.size]}"), from disk $(pct "${V[big.tt-ranges.rbytes]}" "${V[big.size]}")" \
        "${V[big.tt-ranges.rchar]} <= 0.02 * ${V[big.size]} && ${V[big.tt-ranges.rbytes]} <= 0.02 * ${V[big.size]}"
    verdict "snapshot under 2 s: ${V[big.tt-ranges.wall]} s" "${V[big.tt-ranges.wall]} < 2"
    if has_peer restic; then verdict "at least 50x faster than restic: $(times_faster "${V[big.tt-ranges.wall]}" "${V[big.restic.wall]}")" \
        "${V[big.restic.wall]} >= 50 * ${V[big.tt-ranges.wall]}"; fi
    [[ ${V[big.tt-ranges.reads]} =~ rangeFiles=([0-9]+) ]] && ranged=${BASH_REMATCH[1]} || ranged=0
    verdict "the snapshot read the file by its changed ranges: ${V[big.tt-ranges.method]} (${V[big.tt-ranges.reason]}), rangeFiles=$ranged" "$ranged >= 1"
    verdict "the ranged snapshot holds the file byte for byte: ${V[big.tt-ranges.verified]}" "\"${V[big.tt-ranges.verified]}\" == \"equal\""
fi
} | tee "$RES/table.txt"
cp "$RES/table.txt" "${TABLE_OUT:-/var/tmp/range-bench-table.txt}"
