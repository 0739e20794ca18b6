#!/usr/bin/env bash
# Retention benchmark (issue 11): 30 days of a changing tree snapshotted daily by TimeTravel, restic and borg, then
# keep the last 7 and reclaim the space, all three in one run.
#
#   bench/retention-bench.sh [DATA_DIR] [WORK_DIR]
#
#   DATA_DIR  where the source tree (the store benchmark's copy of part of /usr, ~2.5 GiB) is made once and kept
#             between runs (default /var/tmp/ttbench-data, shared with bench/store-bench.sh)
#   WORK_DIR  scratch space for the changing tree and the repositories (~10 GB); removed at exit
#             (default /var/tmp/ttret-work)
#
# Environment: TT (timetravel binary, default /tmp/tt-retbench-bin/timetravel, AOT-published when missing), DAYS (30),
# KEEP (7), FRACTION (0.03: files replaced per day), SEED (11), DURING_DELAY (1: seconds between the start of a
# reclaim and the snapshot started during it), FRESH_PEERS (1: also make fresh restic and borg repositories of the
# kept days), VERIFY (1: `timetravel verify --read-data` after gc), TT_ARENA_SIZE (arena size of the TimeTravel
# stores; default the store's default, 1 GiB), TOOLS ("tt restic borg"), KEEP_WORK=1 (leave WORK_DIR).
#
# The days. A copy of the source in WORK_DIR/tree; each day bench/retention-churn.py replaces FRACTION of its files
# (new file renamed over the old), adds 20 and removes 20; then each tool snapshots the tree (warm cache, not timed
# as a result: the first day's snapshots are timed cold, as a first-snapshot throughput check).
#
# The reclaim, per tool, timed cold under GNU time (wall time; peak RSS of the biggest process):
#   TimeTravel `forget --keep-last KEEP` + `gc`;  restic `forget --keep-last KEEP --prune`;  borg `prune
#   --keep-last KEEP` + `compact`. DURING_DELAY seconds after it starts, a snapshot of the (unchanged) tree starts;
#   its exit status, its wall time and whether it ran while the reclaim did are recorded.
#
# The fresh stores. A store holding just the KEEP kept days, to compare the size after the reclaim against. The kept
# days' trees are not hard-linked copies (`cp -al` changes the ctime of every file, so each tool's next snapshot
# would re-read the whole tree): the days are replayed instead on a new copy of the source, the churn being
# reproducible (its digests are compared with the first pass), and each kept day is snapshotted into new stores.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DATA_DIR=${1:-/var/tmp/ttbench-data}
WORK_DIR=${2:-/var/tmp/ttret-work}
TT=${TT:-/tmp/tt-retbench-bin/timetravel}
DAYS=${DAYS:-30}
KEEP=${KEEP:-7}
FRACTION=${FRACTION:-0.03}
SEED=${SEED:-11}
DURING_DELAY=${DURING_DELAY:-1}
FRESH_PEERS=${FRESH_PEERS:-1}
VERIFY=${VERIFY:-1}
SRC=$DATA_DIR/src
TREE=$WORK_DIR/tree
RES=$WORK_DIR/results
CHURN=$HERE/retention-churn.py
read -r -a TOOLS <<<"${TOOLS:-tt restic borg}" # TOOLS="restic borg" measures the peers alone (a timetravel without gc)
declare -A NAME=([tt]=TimeTravel [restic]=restic [borg]=borg)
export TZ=UTC

. "$HERE/bench-lib.sh"

need_root
for t in restic borg python3 /usr/bin/time; do command -v "$t" >/dev/null || die "$t is not installed"; done
publish_tt /tmp/art-retbench
[[ " ${TOOLS[*]} " != *" tt "* ]] || tt_has_command gc || die "$TT has no gc command (TOOLS=\"restic borg\" measures the peers alone)"
fresh_work_dir "$RES"
peer_env

# The data set, as bench/store-bench.sh makes it (made once, shared).
usr_data_set

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
size_of() { du -sb "$@" | awk '{s+=$1} END {printf "%.0f\n", s}'; }
now() { date +%s.%N; }
mib() { awk -v v="$1" 'BEGIN {printf "%.1f", v / 1048576}'; }

# run KEY CMD...: under GNU time (elapsed, user, sys, CPU%, max RSS KiB into $RES/KEY.time), exit status into
# $RES/KEY.rc, start and end (epoch seconds) into $RES/KEY.span. A failure is recorded, not fatal.
run() {
    local key=$1; shift
    local start rc=0
    start=$(now)
    /usr/bin/time -f '%e %U %S %P %M' -o "$RES/$key.time" "$@" >"$RES/$key.out" 2>&1 || rc=$?
    echo "$rc" >"$RES/$key.rc"
    echo "$start $(now)" >"$RES/$key.span"
}
# timed KEY CMD...: a cold run that must succeed (restic 3 / timetravel 3 / borg 1: finished with warnings).
timed() {
    local key=$1; shift
    drop_caches
    cut -d' ' -f1 /proc/loadavg >"$RES/$key.load"
    run "$key" "$@"
    local rc; rc=$(cat "$RES/$key.rc")
    if (( rc > 3 )); then tail -5 "$RES/$key.out" >&2; die "$key exited with $rc"; fi
    log "$key: $(tail -n 1 "$RES/$key.time") (elapsed s, user s, sys s, CPU, max RSS KiB; load before $(cat "$RES/$key.load"))"
}
# warm KEY CMD...: a day's snapshot, page cache as it is; must succeed.
warm() {
    local key=$1; shift
    run "$key" "$@"
    local rc; rc=$(cat "$RES/$key.rc")
    if (( rc > 3 )); then tail -5 "$RES/$key.out" >&2; die "$key exited with $rc"; fi
}
field() { tail -n 1 "$RES/$1.time" | awk -v f="$2" '{v=$f; sub(/%/, "", v); print v}'; }

snapshot_cmd() { # TOOL REPO ARCHIVE: the command that snapshots $TREE
    case $1 in
        tt)     echo "$TT --store $2 snapshot" ;;
        restic) echo "restic --repo $2 backup -q $TREE" ;;
        borg)   echo "borg create --compression lz4 $2::$3 $TREE" ;;
    esac
}
init_repo() { # TOOL REPO
    case $1 in
        tt)     "$TT" --store "$2" init ${TT_ARENA_SIZE:+--arena-size "$TT_ARENA_SIZE"} "$TREE" >/dev/null ;;
        restic) restic init -q --repo "$2" >/dev/null ;;
        borg)   borg init --encryption=none "$2" ;;
    esac
}

# ---------------------------------------------------------------------------------------------------------------
# The days.
log "copying the source into $TREE"
cp -a "$SRC" "$TREE"
for t in "${TOOLS[@]}"; do init_repo "$t" "$WORK_DIR/$t"; done
for day in $(seq 1 "$DAYS"); do
    python3 "$CHURN" "$TREE" "$day" "$SEED" "$FRACTION" >>"$RES/churn.pass1"
    for t in "${TOOLS[@]}"; do
        # shellcheck disable=SC2046
        if (( day == 1 )); then timed "$t.day1" $(snapshot_cmd "$t" "$WORK_DIR/$t" "day01")
        else warm "$t.day$day" $(snapshot_cmd "$t" "$WORK_DIR/$t" "$(printf 'day%02d' "$day")"); fi
    done
    log "day $day: $(tail -n 1 "$RES/churn.pass1" | cut -d: -f2-); snapshots $(for t in "${TOOLS[@]}"; do printf '%s %ss ' "$t" "$(field "$t.day$day" 1)"; done)"
done
for t in "${TOOLS[@]}"; do size_of "$WORK_DIR/$t" >"$RES/$t.before"; done

# ---------------------------------------------------------------------------------------------------------------
# The reclaim, with a snapshot started during it.
tt_reclaim() {
    if "$TT" forget --help | grep -q -- '--keep-last'; then
        "$TT" --store "$1" forget --keep-last "$KEEP"
    else # before the policy form existed: the same snapshots by name
        "$TT" --store "$1" list --json | python3 -c 'import json,sys; n=int(sys.argv[1]); print("\n".join(s["name"] for s in json.load(sys.stdin)[:-n]))' "$KEEP" \
            | xargs "$TT" --store "$1" forget
    fi
    "$TT" --store "$1" gc
}
reclaim_cmd() {
    case $1 in
        tt)     echo "tt_reclaim $2" ;;
        restic) echo "restic --repo $2 forget --keep-last $KEEP --prune" ;;
        borg)   echo "borg prune --keep-last $KEEP $2 && borg compact $2" ;;
    esac
}
export -f tt_reclaim; export TT KEEP
for t in "${TOOLS[@]}"; do
    repo=$WORK_DIR/$t
    log "${NAME[$t]}: reclaim, and a snapshot ${DURING_DELAY} s into it"
    drop_caches
    cut -d' ' -f1 /proc/loadavg >"$RES/$t.reclaim.load"
    run "$t.reclaim" bash -c "$(reclaim_cmd "$t" "$repo")" &
    reclaim_pid=$!
    sleep "$DURING_DELAY"
    # shellcheck disable=SC2046
    run "$t.during" $(snapshot_cmd "$t" "$repo" "during")
    wait "$reclaim_pid" || true
    rc=$(cat "$RES/$t.reclaim.rc")
    (( rc <= 3 )) || { tail -5 "$RES/$t.reclaim.out" >&2; die "$t reclaim exited with $rc"; }
    size_of "$repo" >"$RES/$t.after"
    log "$t reclaim: $(tail -n 1 "$RES/$t.reclaim.time"); snapshot during it: exit $(cat "$RES/$t.during.rc") after $(field "$t.during" 1) s"
done
if [[ $VERIFY == 1 && -d $WORK_DIR/tt ]]; then
    log "TimeTravel: verify --read-data after gc"
    "$TT" --store "$WORK_DIR/tt" verify --read-data >"$RES/tt.verify" 2>&1 || { tail -20 "$RES/tt.verify" >&2; die "verify after gc failed"; }
fi
[[ -d $WORK_DIR/tt ]] && { "$TT" --store "$WORK_DIR/tt" list >"$RES/tt.list" 2>&1 || true; }

# ---------------------------------------------------------------------------------------------------------------
# Fresh stores of the kept days: replay the days on a new copy of the source, snapshot the last KEEP of them.
FRESH_TOOLS=(); for t in "${TOOLS[@]}"; do [[ $t == tt || $FRESH_PEERS == 1 ]] && FRESH_TOOLS+=("$t"); done
log "replaying the $DAYS days for fresh stores of the last $KEEP ($(IFS=,; echo "${FRESH_TOOLS[*]}"))"
rm -rf -- "$TREE"
cp -a "$SRC" "$TREE"
for t in "${FRESH_TOOLS[@]}"; do init_repo "$t" "$WORK_DIR/fresh-$t"; done
for day in $(seq 1 "$DAYS"); do
    python3 "$CHURN" "$TREE" "$day" "$SEED" "$FRACTION" >>"$RES/churn.pass2"
    if (( day > DAYS - KEEP )); then
        for t in "${FRESH_TOOLS[@]}"; do
            # shellcheck disable=SC2046
            warm "fresh-$t.day$day" $(snapshot_cmd "$t" "$WORK_DIR/fresh-$t" "$(printf 'day%02d' "$day")")
        done
    fi
done
REPLAY_SAME=yes; cmp -s "$RES/churn.pass1" "$RES/churn.pass2" || REPLAY_SAME=NO
for t in "${FRESH_TOOLS[@]}"; do size_of "$WORK_DIR/fresh-$t" >"$RES/$t.fresh"; done

# ---------------------------------------------------------------------------------------------------------------
# The table.
declare -A V
for t in "${TOOLS[@]}"; do
    V[$t.s]=$(field "$t.reclaim" 1); V[$t.rss]=$(awk -v k="$(field "$t.reclaim" 5)" 'BEGIN {printf "%.1f", k / 1024}')
    V[$t.cpu]=$(field "$t.reclaim" 4); V[$t.load]=$(cat "$RES/$t.reclaim.load")
    V[$t.before]=$(mib "$(cat "$RES/$t.before")"); V[$t.after]=$(mib "$(cat "$RES/$t.after")")
    V[$t.fresh]=$([[ -e $RES/$t.fresh ]] && mib "$(cat "$RES/$t.fresh")" || echo "-")
    V[$t.vsfresh]=$([[ -e $RES/$t.fresh ]] && awk -v a="$(cat "$RES/$t.after")" -v f="$(cat "$RES/$t.fresh")" 'BEGIN {printf "%.3f", a / f}' || echo "-")
    read -r rs re <"$RES/$t.reclaim.span"; read -r ss se <"$RES/$t.during.span"
    V[$t.drc]=$(cat "$RES/$t.during.rc"); V[$t.ds]=$(field "$t.during" 1)
    V[$t.overlap]=$(awk -v rs="$rs" -v re="$re" -v ss="$ss" -v se="$se" 'BEGIN {
        if (ss >= re) print "no (reclaim ended first)"; else if (se <= re) printf "inside (%.1f-%.1f s of %.1f)", ss - rs, se - rs, re - rs;
        else printf "from %.1f s, reclaim ended at %.1f", ss - rs, re - rs }')
    V[$t.day1]=$(field "$t.day1" 1); V[$t.day1rss]=$(awk -v k="$(field "$t.day1" 5)" 'BEGIN {printf "%.1f", k / 1024}')
    V[$t.days]=$(for d in $(seq 2 "$DAYS"); do field "$t.day$d" 1; done | awk '{s+=$1} END {printf "%.1f", s}')
done
SRC_BYTES=$(find "$SRC" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}')
NEW_BYTES=$(awk '{for (i = 1; i <= NF; i++) if ($i == "bytes") s += $(i + 1)} END {printf "%.0f", s}' "$RES/churn.pass1")
row() { printf '%-46s' "$1"; shift; for v in "$@"; do printf '%16s' "$v"; done; echo; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2f", a / b}'; }
verdict() { if awk "BEGIN {exit !($2)}"; then echo "  met     $1"; else echo "  MISSED  $1"; fi; }
{
echo
echo "== retention-bench $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, commit $(git -C "$HERE/.." rev-parse --short HEAD)"
echo "source: $SRC ($(mib "$SRC_BYTES") MiB); $DAYS days of $FRACTION of the files replaced (+20 added, -20 removed): $(mib "$NEW_BYTES") MiB of new bytes in all; keep the last $KEEP"
echo "restic $(restic version | awk '{print $2}'), $(borg --version); reclaims cold (drop_caches); a snapshot of the tree starts $DURING_DELAY s into each reclaim"
echo
row "measure" TimeTravel restic borg
row "first snapshot (day 1, cold): wall s" "${V[tt.day1]:--}" "${V[restic.day1]:--}" "${V[borg.day1]:--}"
row "first snapshot: MB/s" $(for t in tt restic borg; do awk -v b="$SRC_BYTES" -v s="${V[$t.day1]:-0}" 'BEGIN {if (s == 0) print "-"; else printf "%.1f\n", b / 1e6 / s}'; done)
row "days 2-$DAYS snapshots (warm): total wall s" "${V[tt.days]:--}" "${V[restic.days]:--}" "${V[borg.days]:--}"
row "store before reclaim MiB" "${V[tt.before]:--}" "${V[restic.before]:--}" "${V[borg.before]:--}"
row "reclaim: wall s" "${V[tt.s]:--}" "${V[restic.s]:--}" "${V[borg.s]:--}"
row "reclaim: peak RSS MiB" "${V[tt.rss]:--}" "${V[restic.rss]:--}" "${V[borg.rss]:--}"
row "reclaim: CPU" "${V[tt.cpu]:--}%" "${V[restic.cpu]:--}%" "${V[borg.cpu]:--}%"
row "reclaim: load avg before" "${V[tt.load]:--}" "${V[restic.load]:--}" "${V[borg.load]:--}"
row "store after reclaim MiB" "${V[tt.after]:--}" "${V[restic.after]:--}" "${V[borg.after]:--}"
row "fresh store of the $KEEP kept days MiB" "${V[tt.fresh]:--}" "${V[restic.fresh]:--}" "${V[borg.fresh]:--}"
row "after / fresh" "${V[tt.vsfresh]:--}" "${V[restic.vsfresh]:--}" "${V[borg.vsfresh]:--}"
row "snapshot during reclaim: exit status" "${V[tt.drc]:--}" "${V[restic.drc]:--}" "${V[borg.drc]:--}"
row "snapshot during reclaim: wall s" "${V[tt.ds]:--}" "${V[restic.ds]:--}" "${V[borg.ds]:--}"
for t in "${TOOLS[@]}"; do echo "  ${NAME[$t]} snapshot during the reclaim: ${V[$t.overlap]}; $(grep -v '^\s*$' "$RES/$t.during.out" | head -n 1 | cut -c1-160)"; done
echo "  replayed days identical to the first pass (churn digests): $REPLAY_SAME"
echo
echo "targets:"
if [[ -n ${V[tt.s]:-} && -n ${V[restic.s]:-} ]]; then
verdict "reclaim >= 3x faster than restic's ($(ratio "${V[restic.s]:--}" "${V[tt.s]:--}")x: ${V[tt.s]:--} s vs ${V[restic.s]:--} s)" "${V[restic.s]:--} >= 3 * ${V[tt.s]:--}"
verdict "reclaim peak memory below restic's (${V[tt.rss]:--} vs ${V[restic.rss]:--} MiB)" "${V[tt.rss]:--} < ${V[restic.rss]:--}"
verdict "store after gc <= 1.15x a fresh store of the kept days (${V[tt.vsfresh]:--}x)" "${V[tt.vsfresh]:--} <= 1.15"
verdict "snapshot during gc succeeded (exit ${V[tt.drc]:--}, ${V[tt.overlap]:--})" "${V[tt.drc]:--} == 0"
verdict "first snapshot >= 2x restic's throughput ($(ratio "${V[restic.day1]:--}" "${V[tt.day1]:--}")x)" "${V[restic.day1]:--} >= 2 * ${V[tt.day1]:--}"
fi
echo
if [[ -e $RES/tt.reclaim.out ]]; then echo "TimeTravel's reclaim output:"; grep -v '^\s*$' "$RES/tt.reclaim.out" | tail -n 15 | sed 's/^/  /'; fi
if [[ -e $RES/tt.verify ]]; then echo "after gc: $(tail -n 1 "$RES/tt.verify")"; fi
} | tee "$RES/table.txt"
cp "$RES/table.txt" "${TABLE_OUT:-/var/tmp/retention-bench-table.txt}"
