#!/usr/bin/env bash
# Garbage-collection benchmark (issue 11): `timetravel gc` on a synthetic store of at least 10 million blocks.
#
#   bench/gc-bench.sh [DATA_DIR] [WORK_DIR]
#
#   DATA_DIR  cache of the generated store (default /var/tmp/ttgc-data): DATA_DIR/store is made once by
#             bench/GcBench (`gcbench generate`) and reused while DATA_DIR/key matches the shape, the arena size and
#             docs/format.md; otherwise it is generated again. Delete DATA_DIR to free its ~2.5 GB.
#   WORK_DIR  scratch space (default /var/tmp/ttgc-work): each run works on a copy of the cached store (`cp -a`,
#             since gc changes it), removed at exit.
#
# Environment: TT (timetravel binary, default /tmp/tt-gcbench-bin/timetravel, AOT-published when missing),
# BLOCKS (10000000), SNAPSHOTS (20), ARENA_SIZE (268435456), REPEAT (999: extra records of one tree for the
# mark-sharing run), VERIFY (1: `verify --read-data` after gc), KEEP_WORK=1 (leave WORK_DIR).
# Needs root (drop_caches) and GNU time. Every timed run starts cold (sync; drop_caches). Measures:
#   0. generating the store (only when the cache is missing or stale): wall time, blocks/s, peak RSS
#   1. gc --dry-run with every snapshot kept (marks all of them)
#   2. forget the oldest half of the snapshots, then gc --dry-run and gc: wall time, peak RSS, time and memory per
#      million blocks, bytes freed (du before and after), arenas rewritten (arena files gone) and written
#   3. marking one tree against 1,000 snapshots of it: forget all but the newest, gc --dry-run; then `gcbench
#      repeat` adds REPEAT records of the same root, gc --dry-run again
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DATA_DIR=${1:-/var/tmp/ttgc-data}
WORK_DIR=${2:-/var/tmp/ttgc-work}
TT=${TT:-/tmp/tt-gcbench-bin/timetravel}
GCBENCH_DIR=${GCBENCH_DIR:-/tmp/gcbench-bin}
BLOCKS=${BLOCKS:-10000000}
SNAPSHOTS=${SNAPSHOTS:-20}
ARENA_SIZE=${ARENA_SIZE:-268435456}
REPEAT=${REPEAT:-999}
VERIFY=${VERIFY:-1}
STORE=$WORK_DIR/store
RES=$WORK_DIR/results
export TZ=UTC

. "$HERE/bench-lib.sh"

need_root
command -v /usr/bin/time >/dev/null || die "GNU time (/usr/bin/time) is not installed"
check_work_dir # before the builds, as ever
publish_tt /tmp/art-gcbench
log "building bench/GcBench into $GCBENCH_DIR"
(cd "$HERE/.." && TT_ARTIFACTS=/tmp/art-gcbench dotnet build bench/GcBench/GcBench.csproj -c Release -nologo -v quiet -o "$GCBENCH_DIR" >&2) \
    || die "cannot build bench/GcBench"
GCBENCH=$GCBENCH_DIR/gcbench
tt_has_command gc || GC_MISSING=1

fresh_work_dir "$RES" "$DATA_DIR"

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
size_of() { du -sb "$@" | awk '{s+=$1} END {printf "%.0f\n", s}'; }
arenas_of() { find "$1/arenas" -name '*.arena' -printf '%f\n' | sort; }

# timed KEY CMD...: cold run under GNU time; elapsed, user, sys, CPU%, max RSS (KiB) go to $RES/KEY.time.
timed() {
    local key=$1; shift
    drop_caches
    cut -d' ' -f1 /proc/loadavg >"$RES/$key.load"
    local rc=0
    /usr/bin/time -f '%e %U %S %P %M' -o "$RES/$key.time" "$@" >"$RES/$key.out" 2>&1 || rc=$?
    if (( rc != 0 )); then tail -5 "$RES/$key.out" >&2; die "$key exited with $rc"; fi
    log "$key: $(tail -n 1 "$RES/$key.time") (elapsed s, user s, sys s, CPU, max RSS KiB; load before $(cat "$RES/$key.load"))"
}
field() { tail -n 1 "$RES/$1.time" | awk -v f="$2" '{v=$f; sub(/%/, "", v); print v}'; }
mib() { awk -v v="$1" 'BEGIN {printf "%.1f", v / 1048576}'; }

# ---------------------------------------------------------------------------------------------------------------
# 0. The store, from the cache or generated.
GEN_ARGS=(--blocks "$BLOCKS" --snapshots "$SNAPSHOTS")
KEY="$("$GCBENCH" shape "${GEN_ARGS[@]}") arena-size=$ARENA_SIZE format.md=$(git -C "$HERE/.." hash-object docs/format.md)"
GENERATED=cached
if [[ ! -e $DATA_DIR/key || $(cat "$DATA_DIR/key") != "$KEY" ]]; then
    log "generating the store (no cached one for: $KEY)"
    rm -rf -- "$DATA_DIR/store" "$DATA_DIR/key" "$DATA_DIR/generated.txt"
    timed generate "$GCBENCH" generate "$DATA_DIR/store" "${GEN_ARGS[@]}" --arena-size "$ARENA_SIZE"
    grep '=' "$RES/generate.out" | grep -v '^gcbench:' >"$DATA_DIR/generated.txt"
    cp "$RES/generate.time" "$RES/generate.load" "$DATA_DIR/"
    echo "$KEY" >"$DATA_DIR/key" # last: a half-made store is never taken for a cached one
    GENERATED=now
fi
gen() { sed -n "s/^$1=//p" "$DATA_DIR/generated.txt"; }
TOTAL_BLOCKS=$(gen blocks)
read -r -a NAMES <<<"$(gen snapshots)"
log "copying the cached store into $STORE"
COPY_START=$(date +%s.%N)
cp -a "$DATA_DIR/store" "$STORE"
COPY_S=$(awk -v a="$COPY_START" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
SIZE0=$(size_of "$STORE")
log "store: $TOTAL_BLOCKS blocks, $(mib "$SIZE0") MiB, $(arenas_of "$STORE" | wc -l) arenas, ${#NAMES[@]} snapshots (copied in $COPY_S s)"

if [[ ${GC_MISSING:-0} == 1 ]]; then
    log "this timetravel has no gc command: only the generation was measured"
    echo "generation: $(cat "$DATA_DIR/generate.time") (elapsed s, user s, sys s, CPU, max RSS KiB) $GENERATED; $TOTAL_BLOCKS blocks"
    exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# 1 + 2: dry run with everything kept; forget the oldest half; dry run and gc.
timed dry.all "$TT" --store "$STORE" gc --dry-run
HALF=$(( ${#NAMES[@]} / 2 ))
"$TT" --store "$STORE" forget "${NAMES[@]:0:$HALF}" >"$RES/forget.out"
log "forgot the oldest $HALF snapshots"
timed dry.half "$TT" --store "$STORE" gc --dry-run
arenas_of "$STORE" >"$RES/arenas.before"
timed gc "$TT" --store "$STORE" gc
arenas_of "$STORE" >"$RES/arenas.after"
SIZE1=$(size_of "$STORE")
REWRITTEN=$(comm -23 "$RES/arenas.before" "$RES/arenas.after" | wc -l)
WRITTEN=$(comm -13 "$RES/arenas.before" "$RES/arenas.after" | wc -l)
if [[ $VERIFY == 1 ]]; then
    log "verify --read-data after gc"
    "$TT" --store "$STORE" verify --read-data >"$RES/verify.out" 2>&1 || { cat "$RES/verify.out" >&2; die "verify after gc failed"; }
    log "$(tail -n 1 "$RES/verify.out")"
fi

# ---------------------------------------------------------------------------------------------------------------
# 3: one tree against REPEAT + 1 snapshots of it.
"$TT" --store "$STORE" forget "${NAMES[@]:$HALF:$(( ${#NAMES[@]} - HALF - 1 ))}" >/dev/null
timed mark.one "$TT" --store "$STORE" gc --dry-run
"$GCBENCH" repeat "$STORE" "$REPEAT" >/dev/null
timed mark.many "$TT" --store "$STORE" gc --dry-run

# ---------------------------------------------------------------------------------------------------------------
per_m() { awk -v v="$1" -v b="$TOTAL_BLOCKS" 'BEGIN {printf "%.2f", v / (b / 1e6)}'; }
row() { # label key
    local k=$2 s rss
    s=$(field "$k" 1); rss=$(( $(field "$k" 5) / 1024 ))
    printf '%-44s %9s %9s %9s %10s %10s %6s\n' "$1" "$s" "$(per_m "$s")" "$rss" "$(per_m "$rss")" "$(field "$k" 4)%" "$(cat "$RES/$k.load")"
}
{
echo
echo "== gc-bench $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, commit $(git -C "$HERE/.." rev-parse --short HEAD)"
echo "store: $(gen shape); arenas of $ARENA_SIZE bytes"
echo "       $TOTAL_BLOCKS blocks, $(mib "$SIZE0") MiB, $(wc -l <"$RES/arenas.before") arenas; generated $GENERATED: $(awk '{printf "%s s, %.0f blocks/s, peak RSS %.0f MiB", $1, '"$TOTAL_BLOCKS"' / $1, $5 / 1024}' "$DATA_DIR/generate.time") (load $(cat "$DATA_DIR/generate.load")); copied from the cache in $COPY_S s"
echo "every timed run cold (drop_caches); per M = per million blocks in the store"
echo
printf '%-44s %9s %9s %9s %10s %10s %6s\n' "run" "wall s" "s per M" "RSS MiB" "MiB per M" "CPU" "load"
row "gc --dry-run, all $SNAPSHOTS snapshots kept" dry.all
row "gc --dry-run, newest $(( ${#NAMES[@]} - HALF )) kept" dry.half
row "gc, newest $(( ${#NAMES[@]} - HALF )) kept" gc
row "gc --dry-run, 1 snapshot (mark one tree)" mark.one
row "gc --dry-run, $(( REPEAT + 1 )) snapshots of that tree" mark.many
echo
echo "gc: store $(mib "$SIZE0") -> $(mib "$SIZE1") MiB, freed $(mib $(( SIZE0 - SIZE1 ))) MiB ($(awk -v a="$SIZE0" -v b="$SIZE1" 'BEGIN {printf "%.1f", 100 * (a - b) / a}')%);" \
     "arenas rewritten (deleted) $REWRITTEN of $(wc -l <"$RES/arenas.before"), written $WRITTEN"
echo "marking $(( REPEAT + 1 )) snapshots of one tree vs one: $(awk -v a="$(field mark.many 1)" -v b="$(field mark.one 1)" 'BEGIN {printf "%.2fx", a / b}') the time"
if [[ $VERIFY == 1 ]]; then echo "after gc: $(tail -n 1 "$RES/verify.out")"; fi
echo
for k in dry.all dry.half gc mark.one mark.many; do echo "-- timetravel's report, $k:"; sed 's/^/  /' "$RES/$k.out" | tail -n 12; done
} | tee "$RES/table.txt"
cp "$RES/table.txt" "${TABLE_OUT:-/var/tmp/gc-bench-table.txt}"
