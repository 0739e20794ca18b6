#!/usr/bin/env bash
# Rollback benchmark (issue 13): undo a simulated package upgrade (about 2,000 changed paths) in trees of 200,000
# and 1,000,000 small files, with `timetravel rollback` (the tracker running), against `rsync -aHAX --delete` from
# the checkpoint's directory in the mount (what Timeshift's rsync mode does) and `timetravel restore` of the whole
# source, side by side in one run.
#
#   bench/rollback-bench.sh [WORK_DIR]
#
#   WORK_DIR  scratch space (default /var/tmp/tt-rollback-bench), removed at exit (KEEP_WORK=1 leaves it): an ext4
#             image loop-mounted at WORK_DIR/fs holds the trees; the stores and the mount point are beside it.
#
# Per tree size (SIZES, default "200000 1000000"): make the tree (bench/rollback-tree.py: 100 files a directory,
# 0-4 KiB of random bytes each), a store with the tree as its source, the first snapshot, the tracker
# (`timetravel track --no-ranges`), a snapshot, then the checkpoint (`timetravel checkpoint`), its manifest, and the
# store mounted. Then per peer (PEERS, default "tt-nolinks tt rsync restore"): the upgrade (bench/rollback-tree.py
# upgrade: the same changes every time), sync, caches dropped (DROP=3, or 1 for the page cache only, or 0 for none), the timed
# rollback, and the tree's manifest compared with the checkpoint's; a peer that does not give the checkpoint back
# exactly is reported as such, and the tree is then put back (by rsync, untimed) before the next peer.
#   tt       timetravel rollback CHECKPOINT (its undo snapshot included: that is what a user runs)
#   tt-nolinks  the same after an upgrade that makes no hard link (UPGRADE_LINKS=0): a new hard link makes the undo
#            snapshot walk the whole source (the other names of a linked file are only found by a walk). It runs
#            first: after tt, the linked files of tt's undo snapshot would make its undo snapshot walk too.
#   rsync    rsync -aHAX --delete MOUNT/CHECKPOINT/TREE/ TREE/
#   restore  timetravel restore CHECKPOINT TREE --no-backup (merges: it leaves the files created since); only on
#            trees of at most RESTORE_MAX (200000) files: it rewrites every file, about 1 ms each here
#
# Environment: TT (default /tmp/tt-rollback-bin/timetravel, AOT-published when missing: delete it after a
# rebase), SIZES, PEERS, DROP (3), SEED (1), IMG_GIB (image size, default 16), KEEP_WORK=1, TABLE_OUT (default
# /var/tmp/rollback-bench-table.txt). A quick dry run: SIZES=20000.
# Needs root (loop mount, fanotify, drop_caches), rsync, python3, mkfs.ext4.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK_DIR=${1:-/var/tmp/tt-rollback-bench}
TT=${TT:-/tmp/tt-rollback-bin/timetravel}
read -r -a SIZES <<<"${SIZES:-200000 1000000}"
read -r -a PEERS <<<"${PEERS:-tt-nolinks tt rsync restore}"
RESTORE_MAX=${RESTORE_MAX:-200000}
DROP=${DROP:-3}
SEED=${SEED:-1}
IMG_GIB=${IMG_GIB:-16}
TABLE_OUT=${TABLE_OUT:-/var/tmp/rollback-bench-table.txt}
RES=$WORK_DIR/results
DATA_DIR=$WORK_DIR/none # bench-lib guards a data set kept between runs; this benchmark keeps none
TREE_PY=$HERE/rollback-tree.py
declare -A NAME=([tt]="timetravel rollback" [tt-nolinks]="timetravel rollback, upgrade without links" [rsync]="rsync -aHAX --delete from the mount" [restore]="timetravel restore (whole source)")
export TZ=UTC

. "$HERE/bench-lib.sh"

need_root
for t in rsync python3 mkfs.ext4 mountpoint; do command -v "$t" >/dev/null || die "$t is not installed"; done
for p in "${PEERS[@]}"; do [[ -n ${NAME[$p]:-} ]] || die "PEERS: unknown peer '$p' (tt, tt-nolinks, rsync, restore)"; done
[[ $DROP == 0 || $DROP == 1 || $DROP == 3 ]] || die "DROP=$DROP: 3, 1 or 0"

publish_tt /tmp/art-rollback-bench
tt_has_command rollback || die "$TT has no rollback command (delete it to publish the current tree's)"

FS=$WORK_DIR/fs VIEW=$WORK_DIR/view
TRACKER_PID= MOUNT_PID=
cleanup() {
    local rc=$?
    stop_all
    (exit $rc); bench_cleanup
}
stop_all() {
    stop_tt
    if mountpoint -q "$FS" 2>/dev/null; then umount "$FS" || umount -l "$FS"; fi
}
stop_tt() { # the tracker and the mount, by pid
    if [[ -n $TRACKER_PID ]] && kill -0 "$TRACKER_PID" 2>/dev/null; then kill -TERM "$TRACKER_PID"; wait "$TRACKER_PID" || true; fi
    TRACKER_PID=
    if mountpoint -q "$VIEW" 2>/dev/null; then "$TT" umount "$VIEW" >/dev/null 2>&1 || umount -l "$VIEW"; fi
    if [[ -n $MOUNT_PID ]]; then
        local i; for ((i = 0; i < 100; i++)); do kill -0 "$MOUNT_PID" 2>/dev/null || break; sleep 0.05; done
        kill "$MOUNT_PID" 2>/dev/null || true
    fi
    MOUNT_PID=
}

fresh_work_dir "$RES" "$FS" "$VIEW"
trap 'exit 130' INT TERM
trap cleanup EXIT
log "making a ${IMG_GIB} GiB ext4 image for the trees"
truncate -s "${IMG_GIB}G" "$WORK_DIR/fs.img"
mkfs.ext4 -q -F -N 2500000 "$WORK_DIR/fs.img"
mount -o loop "$WORK_DIR/fs.img" "$FS"

drop_caches() { sync; [[ $DROP == 0 ]] || echo "$DROP" > /proc/sys/vm/drop_caches; }

# timed KEY CMD...: wall seconds of CMD into $RES/KEY.time, its output into $RES/KEY.out/.err; dies on failure.
timed() {
    local key=$1; shift
    local t0 t1 rc=0
    t0=$(date +%s.%N)
    "$@" >"$RES/$key.out" 2>"$RES/$key.err" || rc=$?
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f\n", b - a}' >"$RES/$key.time"
    if (( rc != 0 )); then tail -5 "$RES/$key.err" >&2; die "$key: '$*' exited with $rc"; fi
    log "$key: $(cat "$RES/$key.time") s"
}

start_tracker() { # STORE
    "$TT" --store "$1" track --no-ranges 2>"$RES/track.log" &
    TRACKER_PID=$!
    local i
    for ((i = 0; i < 200; i++)); do
        grep -q "watching" "$RES/track.log" 2>/dev/null && return 0
        kill -0 "$TRACKER_PID" 2>/dev/null || die "the tracker did not start: $(cat "$RES/track.log")"
        sleep 0.05
    done
    die "the tracker did not say it is watching: $(cat "$RES/track.log")"
}

# The tree is what the checkpoint holds, or the number of paths its manifest differs in.
compare() { # KEY TREE
    python3 "$TREE_PY" manifest "$2" "$RES/$1.manifest"
    local d; d=$(diff "$RES/ck.manifest" "$RES/$1.manifest" | grep -c '^[<>]' || true)
    if (( d == 0 )); then echo identical; else echo "NOT identical: $d manifest lines differ"; fi
}

printf '%-9s %-40s %9s  %s\n' "files" "rollback by" "seconds" "result" >"$RES/table"
for n in "${SIZES[@]}"; do
    tree=$FS/tree$n store=$WORK_DIR/store$n
    log "tree of $n files"
    python3 "$TREE_PY" make "$tree" "$n" "$SEED"
    sync
    "$TT" --store "$store" init "$tree" >/dev/null
    timed "init-$n" "$TT" --store "$store" snapshot -q
    start_tracker "$store"
    "$TT" --store "$store" snapshot -q
    ck=$("$TT" --store "$store" checkpoint --note "rollback benchmark" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')
    log "checkpoint $ck"
    python3 "$TREE_PY" manifest "$tree" "$RES/ck.manifest"
    out=$("$TT" --store "$store" mount "$VIEW")
    MOUNT_PID=$(sed -n 's/.*(pid \([0-9]*\).*/\1/p' <<<"$out")
    [[ -d $VIEW/$ck$tree ]] || die "the checkpoint is not in the mount: $VIEW/$ck$tree"
    for p in "${PEERS[@]}"; do
        if [[ $p == restore ]] && (( n > RESTORE_MAX )); then log "restore: skipped on $n files (RESTORE_MAX=$RESTORE_MAX)"; continue; fi
        changes=$(UPGRADE_LINKS=$([[ $p == tt-nolinks ]] && echo 0 || echo 50) python3 "$TREE_PY" upgrade "$tree" "$n" "$SEED")
        log "upgrade: $changes"
        drop_caches
        case $p in
        tt*)     timed "$p-$n" "$TT" --store "$store" rollback "$ck" ;;
        rsync)   timed "$p-$n" rsync -aHAX --delete "$VIEW/$ck$tree/" "$tree/" ;;
        restore) timed "$p-$n" "$TT" --store "$store" restore "$ck" "$tree" --no-backup ;;
        esac
        result=$(compare "$p-$n" "$tree")
        log "$p: $result"
        printf '%-9s %-40s %9s  %s\n' "$n" "${NAME[$p]}" "$(cat "$RES/$p-$n.time")" "$result" >>"$RES/table"
        [[ $result == identical ]] || rsync -aHAX --delete "$VIEW/$ck$tree/" "$tree/"
    done
    for v in tt tt-nolinks; do if [[ -e $RES/$v-$n.err ]]; then tail -3 "$RES/$v-$n.err" | sed "s/^/  $v: /" >&2; fi; done
    stop_tt
    rm -rf -- "$store" "$tree"
done

{
    echo "rollback benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?'), DROP=$DROP"
    cat "$RES/table"
    t() { cat "$RES/$1.time" 2>/dev/null || echo 0; }
    if [[ ${#SIZES[@]} -ge 2 && " ${PEERS[*]} " == *" tt "* ]]; then
        for v in tt tt-nolinks; do
            [[ -e $RES/$v-${SIZES[-1]}.time ]] || continue
            awk -v a="$(t "$v-${SIZES[0]}")" -v b="$(t "$v-${SIZES[-1]}")" -v v="${NAME[$v]}" \
                'BEGIN {printf "%s grows %.2fx from the smaller tree to the larger\n", v, b / a}'
        done
    fi
    for n in "${SIZES[@]}"; do
        for v in tt tt-nolinks; do
            for p in rsync restore; do
                [[ -e $RES/$p-$n.time && -e $RES/$v-$n.time ]] || continue
                awk -v a="$(t "$v-$n")" -v b="$(t "$p-$n")" -v n="$n" -v p="$p" -v v="$v" 'BEGIN {printf "%s files: %s is %.1fx faster than %s\n", n, v, b / a, p}'
            done
        done
    done
} | tee "$TABLE_OUT"
