#!/usr/bin/env bash
# Store benchmark (issue 2): TimeTravel against restic, borg and rsync --link-dest, side by side in one run.
#
#   bench/store-bench.sh [DATA_DIR] [WORK_DIR]
#
#   DATA_DIR  where the source tree (a copy of part of /usr, ~2.7 GB) is made once and kept between runs
#             (default /var/tmp/ttbench-data; delete it to rebuild it)
#   WORK_DIR  scratch space for the repositories and the log-rotation source; removed at exit
#             (default /var/tmp/ttbench-work)
#
# Environment: TT (timetravel binary, default /tmp/tt-bench-bin/timetravel), USR_PARTS (what to copy from /usr),
# KEEP_WORK=1 (leave WORK_DIR for inspection).
# Needs root (drop_caches), restic, borg, rsync and GNU time (/usr/bin/time). Every timed run starts cold:
# `sync; echo 3 > /proc/sys/vm/drop_caches` right before it. Measures:
#   1. initial snapshot: wall time, MB/s of source bytes, CPU%, peak RSS, repository size
#   2. re-snapshot with nothing changed (a full walk): wall time, CPU%, peak RSS
#   3. log rotation in a small separate source: repository growth against the genuinely new bytes
#      (3b, extra: a second rotation whose new text is compressible log lines)
#   4. peak RSS of each snapshot process (GNU time %M)
set -euo pipefail

DATA_DIR=${1:-/var/tmp/ttbench-data}
WORK_DIR=${2:-/var/tmp/ttbench-work}
TT=${TT:-/tmp/tt-bench-bin/timetravel}
SRC=$DATA_DIR/src
LOGSRC=$WORK_DIR/logsrc
RES=$WORK_DIR/results
TOOLS=(tt restic borg rsync)
declare -A NAME=([tt]=TimeTravel [restic]=restic [borg]=borg [rsync]="rsync --link-dest")

. "$(dirname "$0")/bench-lib.sh"

need_root
for t in restic borg rsync /usr/bin/time; do command -v "$t" >/dev/null || die "$t is not installed"; done
if [[ ! -x $TT ]]; then   # build the CLI being measured when none was given
    (cd "$(dirname "$0")/.." && TT_ARTIFACTS=/tmp/art-bench dotnet publish cli/timetravel/TimeTravel.Cli.csproj \
        -c Release -nologo -v quiet -o "$(dirname "$TT")" >&2) || die "cannot build $TT"
fi
fresh_work_dir "$RES"
peer_env

# ---------------------------------------------------------------------------------------------------------------
# The data set: made once, reused by later runs.
usr_data_set

# Bytes of regular files (what a backup has to read), file and directory counts.
src_bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}'; }
SRC_BYTES=$(src_bytes "$SRC")
SRC_FILES=$(find "$SRC" -type f | wc -l)
SRC_DIRS=$(find "$SRC" -type d | wc -l)
SRC_LINKS=$(find "$SRC" -type l | wc -l)
log "source: $SRC_BYTES bytes in $SRC_FILES files, $SRC_DIRS directories, $SRC_LINKS symlinks"

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
size_of() { du -sb "$@" | awk '{s+=$1} END {printf "%.0f\n", s}'; }

# timed KEY CMD...: cold run under GNU time; elapsed, user, sys, CPU%, max RSS (KiB) go to $RES/KEY.time.
timed() {
    local key=$1; shift
    drop_caches
    cut -d' ' -f1 /proc/loadavg >"$RES/$key.load" # other work on the machine skews a timing: the table shows it
    local rc=0
    /usr/bin/time -f '%e %U %S %P %M' -o "$RES/$key.time" "$@" >"$RES/$key.out" 2>&1 || rc=$?
    echo "$rc" >"$RES/$key.rc"
    # restic 3 / timetravel 3 / borg 1: finished with warnings (some file unreadable); anything else is a failure.
    if (( rc != 0 )); then
        log "warning: $key exited with $rc (see below)"; tail -5 "$RES/$key.out" >&2
        (( rc <= 3 )) || die "$key failed"
    fi
    log "$key: $(tail -n 1 "$RES/$key.time") (elapsed s, user s, sys s, CPU, max RSS KiB; load before $(cat "$RES/$key.load"))"
}
# (GNU time puts "Command exited with non-zero status N" first when it did: the figures are on the last line.)
field() { tail -n 1 "$RES/$1.time" | awk -v f="$2" '{v=$f; sub(/%/, "", v); print v}'; }

# untimed KEY CMD...: a run whose duration is not a result (log-rotation rounds); still records peak RSS.
untimed() { timed "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# 1 + 2: initial snapshot and re-snapshot with nothing changed.
run_initial() {
    case $1 in
        tt)     "$TT" --store "$WORK_DIR/tt" init "$SRC" >/dev/null
                timed tt.initial "$TT" --store "$WORK_DIR/tt" snapshot ;;
        restic) restic init -q --repo "$WORK_DIR/restic" >/dev/null
                timed restic.initial restic --repo "$WORK_DIR/restic" backup -q "$SRC" ;;
        borg)   borg init --encryption=none "$WORK_DIR/borg"
                timed borg.initial borg create --compression lz4 "$WORK_DIR/borg::initial" "$SRC" ;;
        rsync)  mkdir -p "$WORK_DIR/rsync"
                timed rsync.initial rsync -a "$SRC/" "$WORK_DIR/rsync/s1/" ;;
    esac
}
run_again() {
    case $1 in
        tt)     timed tt.again "$TT" --store "$WORK_DIR/tt" snapshot --full ;;
        restic) timed restic.again restic --repo "$WORK_DIR/restic" backup -q "$SRC" ;;
        borg)   timed borg.again borg create --compression lz4 "$WORK_DIR/borg::again" "$SRC" ;;
        rsync)  timed rsync.again rsync -a --link-dest="$WORK_DIR/rsync/s1" "$SRC/" "$WORK_DIR/rsync/s2/" ;;
    esac
}
repo_of() { case $1 in tt) echo "$WORK_DIR/tt";; restic) echo "$WORK_DIR/restic";; borg) echo "$WORK_DIR/borg";; rsync) echo "$WORK_DIR/rsync";; esac; }

# The floor: reading every file once, cold, with nothing else done (tar through a pipe: GNU tar skips reading
# when its output is /dev/null itself).
log "baseline: cold read of the whole source"
timed read.cold sh -c 'tar -C "$1" -cf - . | cat >/dev/null' sh "$SRC"

for t in "${TOOLS[@]}"; do
    log "${NAME[$t]}: initial snapshot"
    run_initial "$t"
    size_of "$(repo_of "$t")" >"$RES/$t.repo1"
done
for t in "${TOOLS[@]}"; do
    log "${NAME[$t]}: re-snapshot, nothing changed"
    run_again "$t"
    size_of "$(repo_of "$t")" >"$RES/$t.repo2"
done
"$TT" --store "$WORK_DIR/tt" list >"$RES/tt.list" 2>&1 || true
# Free the space before the log test (the big repositories are no longer needed).
for t in "${TOOLS[@]}"; do rm -rf -- "$(repo_of "$t")"; done
rm -rf -- "$RESTIC_CACHE_DIR" "$BORG_BASE_DIR"

# ---------------------------------------------------------------------------------------------------------------
# 3: log rotation. Three log families with four generations of 20-50 MB each, plus other files (docs, configs).
rand_text() { head -c "$(( $1 * 3 / 4 ))" /dev/urandom | base64 -w 76; } # ~$1 bytes of never-seen-before text
log "making the log-rotation source in $LOGSRC"
mkdir -p "$LOGSRC/log" "$LOGSRC/etc" "$LOGSRC/doc"
sizes=(50 40 30 20)
for fam in app.log syslog access.log; do
    for g in 0 1 2 3; do
        f=$LOGSRC/log/$fam; (( g > 0 )) && f=$f.$g
        rand_text $(( ${sizes[$g]} * 1024 * 1024 - (RANDOM % 4096) * 1024 )) >"$f"
    done
done
cp -a /usr/share/doc/. "$LOGSRC/doc/" 2>/dev/null || true
cp -a /etc/. "$LOGSRC/etc/" 2>/dev/null || true

# ~$1 bytes of realistic, compressible, never-seen-before log lines (random addresses, ids, sizes and timings).
log_text() {
    awk -v n="$1" -v seed="$2" 'BEGIN {
        srand(seed); split("GET POST PUT DELETE", m, " "); split("200 200 200 200 304 404 500 201", c, " ");
        split("items users orders carts search login static/app.js static/site.css", p, " ");
        while (t < n) {
            line = sprintf("2026-11-%02dT%02d:%02d:%02d.%06dZ web-%d nginx[%d]: 10.%d.%d.%d - - \"%s /api/v1/%s/%d?page=%d HTTP/1.1\" %s %d \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" rt=%.3f req=%08x%08x",
                1 + int(rand() * 28), int(rand() * 24), int(rand() * 60), int(rand() * 60), int(rand() * 1e6), int(rand() * 9), 1000 + int(rand() * 9000),
                int(rand() * 256), int(rand() * 256), int(rand() * 256), m[1 + int(rand() * 4)], p[1 + int(rand() * 8)], int(rand() * 1e6), int(rand() * 50),
                c[1 + int(rand() * 8)], int(rand() * 2e5), rand() * 2, int(rand() * 2^31), int(rand() * 2^31));
            print line; t += length(line) + 1
        } }'
}
rotate() { # DIR GENERATOR: foo.N -> foo.N+1, foo -> foo.1, a new foo of ~1 MiB of new text
    local dir=$1 gen=$2 fam n seed=$((RANDOM * 8)) # mawk's srand wants a small seed; one per file, all different
    for fam in app.log syslog access.log; do
        seed=$((seed + 1))
        for n in 4 3 2 1; do [[ -e $dir/$fam.$n ]] && mv "$dir/$fam.$n" "$dir/$fam.$((n + 1))"; done
        mv "$dir/$fam" "$dir/$fam.1"
        $gen $((1024 * 1024)) "$seed" >"$dir/$fam"
    done
}
new_bytes() { echo $(( $(stat -c %s "$1/app.log") + $(stat -c %s "$1/syslog") + $(stat -c %s "$1/access.log") )); }

LOG_SRC_BYTES=$(src_bytes "$LOGSRC")
"$TT" --store "$WORK_DIR/tt" init "$LOGSRC" >/dev/null
restic init -q --repo "$WORK_DIR/restic" >/dev/null
borg init --encryption=none "$WORK_DIR/borg"
mkdir -p "$WORK_DIR/rsync"
log "log rotation: first round"
untimed tt.log1 "$TT" --store "$WORK_DIR/tt" snapshot
untimed restic.log1 restic --repo "$WORK_DIR/restic" backup -q "$LOGSRC"
untimed borg.log1 borg create --compression lz4 "$WORK_DIR/borg::log1" "$LOGSRC"
untimed rsync.log1 rsync -a "$LOGSRC/" "$WORK_DIR/rsync/l1/"
for t in "${TOOLS[@]}"; do size_of "$(repo_of "$t")" >"$RES/$t.log_before"; done

log "log rotation: rotating"
sleep 1 # new mtimes differ from the first round's by more than any timestamp granularity
rotate "$LOGSRC/log" rand_text
NEW_BYTES=$(new_bytes "$LOGSRC/log")

log "log rotation: second round"
untimed tt.log2 "$TT" --store "$WORK_DIR/tt" snapshot
untimed restic.log2 restic --repo "$WORK_DIR/restic" backup -q "$LOGSRC"
untimed borg.log2 borg create --compression lz4 "$WORK_DIR/borg::log2" "$LOGSRC"
untimed rsync.log2 rsync -a --link-dest="$WORK_DIR/rsync/l1" "$LOGSRC/" "$WORK_DIR/rsync/l2/"
for t in "${TOOLS[@]}"; do size_of "$(repo_of "$t")" >"$RES/$t.log_after"; done

# 3b (beyond the brief): a second rotation whose new text is realistic, compressible log lines, so that the
# codecs (TimeTravel and borg LZ4, restic zstd) matter as they do with real logs.
log "log rotation: third round (compressible log text)"
sleep 1
rotate "$LOGSRC/log" log_text
NEW_BYTES_TEXT=$(new_bytes "$LOGSRC/log")
untimed tt.log3 "$TT" --store "$WORK_DIR/tt" snapshot
untimed restic.log3 restic --repo "$WORK_DIR/restic" backup -q "$LOGSRC"
untimed borg.log3 borg create --compression lz4 "$WORK_DIR/borg::log3" "$LOGSRC"
untimed rsync.log3 rsync -a --link-dest="$WORK_DIR/rsync/l2" "$LOGSRC/" "$WORK_DIR/rsync/l3/"
for t in "${TOOLS[@]}"; do size_of "$(repo_of "$t")" >"$RES/$t.log_after3"; done
"$TT" --store "$WORK_DIR/tt" list >"$RES/tt.loglist" 2>&1 || true

# ---------------------------------------------------------------------------------------------------------------
# The table.
r() { cat "$RES/$1"; }
declare -A V
for t in "${TOOLS[@]}"; do
    V[$t.t1]=$(field $t.initial 1); V[$t.cpu1]=$(field $t.initial 4); V[$t.rss1]=$(field $t.initial 5)
    V[$t.usr1]=$(field $t.initial 2); V[$t.sys1]=$(field $t.initial 3)
    V[$t.t2]=$(field $t.again 1);   V[$t.cpu2]=$(field $t.again 4);   V[$t.rss2]=$(field $t.again 5)
    V[$t.usr2]=$(field $t.again 2); V[$t.sys2]=$(field $t.again 3)
    V[$t.rssl]=$(field $t.log2 5)
    V[$t.load1]=$(r $t.initial.load); V[$t.load2]=$(r $t.again.load)
    V[$t.mbs]=$(awk -v b="$SRC_BYTES" -v s="${V[$t.t1]}" 'BEGIN {printf "%.1f", b / 1e6 / s}')
    V[$t.repo]=$(r $t.repo1)
    V[$t.grow]=$(( $(r $t.log_after) - $(r $t.log_before) ))
    V[$t.grow3]=$(( $(r $t.log_after3) - $(r $t.log_after) ))
done

row() { # label key format better(high|low)
    local label=$1 key=$2 fmt=$3 t
    printf '%-34s' "$label"
    for t in "${TOOLS[@]}"; do printf '%14s' "$(printf "$fmt" "${V[$t.$key]}")"; done
    for t in restic borg rsync; do
        printf '%12s' "$(awk -v a="${V[tt.$key]}" -v b="${V[$t.$key]}" 'BEGIN {if (b == 0) print "-"; else printf "%.2f", a / b}')"
    done
    echo
}
mb() { awk -v v="$1" 'BEGIN {printf "%.1f", v / 1048576}'; }
for t in "${TOOLS[@]}"; do
    V[$t.repomb]=$(mb "${V[$t.repo]}"); V[$t.growmb]=$(mb "${V[$t.grow]}")
    V[$t.rss1mb]=$(mb $(( ${V[$t.rss1]} * 1024 ))); V[$t.rss2mb]=$(mb $(( ${V[$t.rss2]} * 1024 ))); V[$t.rsslmb]=$(mb $(( ${V[$t.rssl]} * 1024 )))
    V[$t.growx]=$(awk -v g="${V[$t.grow]}" -v n="$NEW_BYTES" 'BEGIN {printf "%.2f", g / n}')
    V[$t.grow3mb]=$(mb "${V[$t.grow3]}")
    V[$t.grow3x]=$(awk -v g="${V[$t.grow3]}" -v n="$NEW_BYTES_TEXT" 'BEGIN {printf "%.2f", g / n}')
done

{
echo
echo "== store-bench $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
echo "source: $SRC ($(mb "$SRC_BYTES") MiB in $SRC_FILES files, $SRC_DIRS dirs, $SRC_LINKS symlinks); every timed run cold (drop_caches)"
echo "baseline cold read of the source (tar -c | cat): $(field read.cold 1) s = $(awk -v b="$SRC_BYTES" -v s="$(field read.cold 1)" 'BEGIN {printf "%.1f", b / 1e6 / s}') MB/s"
echo "log source: $(mb "$LOG_SRC_BYTES") MiB; genuinely new bytes after rotation: $NEW_BYTES ($(mb "$NEW_BYTES") MiB, random base64 text); 3b: $NEW_BYTES_TEXT (log lines)"
echo
printf '%-34s' "measure"; for t in "${TOOLS[@]}"; do printf '%14s' "${NAME[$t]%% *}"; done
printf '%12s%12s%12s\n' "TT/restic" "TT/borg" "TT/rsync"
row "1. initial: wall s"                t1 '%s'
row "1. initial: MB/s (source bytes)"   mbs '%s'
row "1. initial: user CPU s"            usr1 '%s'
row "1. initial: sys CPU s"             sys1 '%s'
row "1. initial: CPU %"                 cpu1 '%s'
row "1. initial: repository MiB"        repomb '%s'
row "2. re-snapshot unchanged: wall s"  t2 '%s'
row "2. re-snapshot: user CPU s"        usr2 '%s'
row "2. re-snapshot: sys CPU s"         sys2 '%s'
row "2. re-snapshot: CPU %"             cpu2 '%s'
row "3. log rotation: growth MiB"       growmb '%s'
row "3. growth / new bytes"             growx '%s'
row "   load avg before initial"        load1 '%s'
row "   load avg before re-snapshot"    load2 '%s'
row "3b. log-text rotation: growth MiB"  grow3mb '%s'
row "3b. growth / new bytes"            grow3x '%s'
row "4. peak RSS initial MiB"           rss1mb '%s'
row "4. peak RSS re-snapshot MiB"       rss2mb '%s'
row "4. peak RSS log round MiB"         rsslmb '%s'
echo
verdict() { if awk "BEGIN {exit !($2)}"; then echo "  met     $1"; else echo "  MISSED  $1"; fi; }
echo "targets:"
verdict "1. TimeTravel initial MB/s >= 2x restic ($(awk -v a="${V[tt.mbs]}" -v b="${V[restic.mbs]}" 'BEGIN {printf "%.2fx", a/b}'))" "${V[tt.mbs]} >= 2 * ${V[restic.mbs]}"
verdict "2. TimeTravel re-snapshot time <= restic (${V[tt.t2]} s vs ${V[restic.t2]} s)" "${V[tt.t2]} <= ${V[restic.t2]}"
verdict "3. TimeTravel growth <= 1.2x new bytes (${V[tt.growx]}x)" "${V[tt.growx]} <= 1.2"
verdict "3. TimeTravel growth < restic, borg, rsync (${V[tt.grow]} vs ${V[restic.grow]}, ${V[borg.grow]}, ${V[rsync.grow]} bytes)" \
    "${V[tt.grow]} < ${V[restic.grow]} && ${V[tt.grow]} < ${V[borg.grow]} && ${V[tt.grow]} < ${V[rsync.grow]}"
echo
echo "TimeTravel's own report:"; sed 's/^/  /' "$RES/tt.initial.out" "$RES/tt.again.out" "$RES/tt.log2.out" "$RES/tt.log3.out" | grep -v '^\s*$' | tail -n 8
} | tee "$RES/table.txt"
cp "$RES/table.txt" "${TABLE_OUT:-/var/tmp/store-bench-table.txt}"
