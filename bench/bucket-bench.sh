#!/usr/bin/env bash
# Store in a bucket (issue 14): TimeTravel against restic's S3 backend, both writing to one local Ceph radosgw
# (scripts/ceph-rgw.sh) in the same run.
#
#   bench/bucket-bench.sh [DATA_DIR] [WORK_DIR]
#
#   DATA_DIR  where the source tree (a copy of part of /usr, ~2.7 GB) is made once and kept (default /var/tmp/ttbench-data)
#   WORK_DIR  scratch: the Ceph cluster, the machines' cache directories, the second host's tree (default /var/tmp/ttbucket-work)
#
# Environment: TT (timetravel binary, default /tmp/tt-bench-bin/timetravel), SNAPSHOTS (default 1000) and HOSTS (10)
# for the history measurement, RESTIC_SNAPSHOTS (default SNAPSHOTS) for restic's part of it, KEEP_WORK=1.
# Needs root (drop_caches, mounts), restic, Ceph (ceph-mon ceph-osd radosgw ceph-common), fuse3. Measures:
#   1. initial snapshot of the tree into the bucket: wall time, MiB/s, requests (from radosgw's access log)
#   2. a second host whose tree is 90% the first's (10% of the bytes rewritten): bytes it uploads
#   3. a fresh machine: cold read of the largest file and `find` through a mount over the bucket
#   4. SNAPSHOTS snapshots from HOSTS hosts: time to open the store and list them; LIST requests of a snapshot at
#      the start and at the end of that history (constant or growing)
set -euo pipefail

DATA_DIR=${1:-/var/tmp/ttbench-data}
WORK_DIR=${2:-/var/tmp/ttbucket-work}
TT=${TT:-/tmp/tt-bench-bin/timetravel}
SRC=$DATA_DIR/src
SNAPSHOTS=${SNAPSHOTS:-1000}
HOSTS=${HOSTS:-10}
RESTIC_SNAPSHOTS=${RESTIC_SNAPSHOTS:-$SNAPSHOTS}
PORT=${PORT:-7600}
REPO_ROOT=${REPO_ROOT:-$(cd "$(dirname "$0")/.." && pwd)} # where scripts/ceph-rgw.sh is

. "$(dirname "$0")/bench-lib.sh"

need_root
for t in restic curl python3 /usr/bin/time radosgw; do command -v "$t" >/dev/null || die "$t is not installed"; done
publish_tt /tmp/art-bucket-bench
fresh_work_dir "$WORK_DIR/results"
peer_env
usr_data_set

CEPH=$WORK_DIR/ceph
stop_ceph() { "$REPO_ROOT/scripts/ceph-rgw.sh" stop "$CEPH" >/dev/null 2>&1 || true; }
trap 'rc=$?; umount_all; stop_ceph; bench_cleanup_rc $rc' EXIT
MOUNTS=()
umount_all() { local m; for m in "${MOUNTS[@]}"; do fusermount3 -uz "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done; }
bench_cleanup_rc() { if [[ ${KEEP_WORK:-0} == 1 ]]; then log "keeping $WORK_DIR"; else rm -rf -- "$WORK_DIR"; fi; exit "$1"; }
log "starting Ceph (mon, osd, radosgw) on 127.0.0.1:$PORT"
"$REPO_ROOT/scripts/ceph-rgw.sh" start "$CEPH" "$PORT" >&2
set -a; . "$CEPH/env"; set +a
RGWLOG=$CEPH/log/client.rgw.a.log
s3() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
for b in ttbench resticbench tthistory restichistory; do s3 -X PUT "$AWS_ENDPOINT_URL/$b" -o /dev/null; done

# Bytes of the objects under a prefix (ListObjectsV2, every page).
bucket_bytes() {
    python3 - "$1" "$2" <<'PY'
import subprocess, sys, os, re, urllib.parse
bucket, prefix = sys.argv[1], sys.argv[2]
total, token = 0, None
while True:
    q = f"list-type=2&prefix={urllib.parse.quote(prefix, safe='')}" + (f"&continuation-token={urllib.parse.quote(token, safe='')}" if token else "")
    xml = subprocess.run(["curl", "-sf", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", os.environ["AWS_ACCESS_KEY_ID"] + ":" + os.environ["AWS_SECRET_ACCESS_KEY"],
        "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", f"{os.environ['AWS_ENDPOINT_URL']}/{bucket}?{q}"], capture_output=True, text=True, check=True).stdout
    total += sum(int(s) for s in re.findall(r"<Size>(\d+)</Size>", xml))
    m = re.search(r"<NextContinuationToken>([^<]+)</NextContinuationToken>", xml)
    if not m: break
    token = m.group(1)
print(total)
PY
}
# Requests radosgw logged for a bucket since log line $2: "LIST n PUT n GET n DELETE n" (POSTs of multipart uploads count as PUT).
log_mark() { wc -l <"$RGWLOG"; }
requests_since() {
    tail -n +"$(( $2 + 1 ))" "$RGWLOG" | awk -v b="/$1" -F'"' '/beast: / && $2 ~ / HTTP\// {
        split($2, r, " "); m = r[1]; path = r[2];
        if (index(path, b "/") != 1 && path != b && index(path, b "?") != 1) next;
        if (m == "GET" && (path ~ /list-type=/ || path ~ /^\/[^\/]+\/?(\?|$)/)) l++; else if (m == "PUT" || m == "POST") p++; else if (m == "GET") g++; else if (m == "DELETE") d++; else if (m == "HEAD") h++;
    } END { printf "LIST %d PUT %d GET %d DELETE %d HEAD %d\n", l, p, g, d, h }'
}
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
src_bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}'; }
SRC_BYTES=$(src_bytes "$SRC")
log "source: $(mb "$SRC_BYTES") MiB in $(find "$SRC" -type f | wc -l) files"

TTS=s3://ttbench/tt
RESTIC_REPO=s3:$AWS_ENDPOINT_URL/resticbench/restic
tt_on() { local machine=$1; shift; TIMETRAVEL_CACHE=$WORK_DIR/machines/$machine "$TT" --store "$TTS" "$@"; }

# 1. Initial snapshot --------------------------------------------------------------------------------------------
tt_on web1 init --host web1 "$SRC" >/dev/null 2>&1
restic -r "$RESTIC_REPO" init >/dev/null
drop_caches; m=$(log_mark); t=$(now)
tt_on web1 snapshot --quiet
TT_INIT_S=$(elapsed "$t"); TT_INIT_REQ=$(requests_since ttbench "$m")
drop_caches; m=$(log_mark); t=$(now)
restic -r "$RESTIC_REPO" backup --host web1 --quiet "$SRC"
RESTIC_INIT_S=$(elapsed "$t"); RESTIC_INIT_REQ=$(requests_since resticbench "$m")
TT_MIBS=$(awk -v b="$SRC_BYTES" -v s="$TT_INIT_S" 'BEGIN { printf "%.1f", b / 1048576 / s }')
RESTIC_MIBS=$(awk -v b="$SRC_BYTES" -v s="$RESTIC_INIT_S" 'BEGIN { printf "%.1f", b / 1048576 / s }')
TT_STORED=$(bucket_bytes ttbench tt/arenas/); RESTIC_STORED=$(bucket_bytes resticbench restic/data/)
log "initial: TimeTravel ${TT_INIT_S}s (${TT_MIBS} MiB/s), restic ${RESTIC_INIT_S}s (${RESTIC_MIBS} MiB/s)"

# 2. A second host, 90% the same -------------------------------------------------------------------------------
SRC2=$WORK_DIR/web2
cp -al "$SRC" "$SRC2"
# Rewrite whole files (new inode, random bytes, same size) until 10% of the bytes are new.
python3 - "$SRC2" "$SRC_BYTES" <<'PY'
import os, sys, random
root, total = sys.argv[1], int(sys.argv[2])
files = []
for d, _, names in os.walk(root):
    for n in names:
        p = os.path.join(d, n)
        if os.path.isfile(p) and not os.path.islink(p): files.append(p)
random.seed(14); random.shuffle(files)
target, done = total // 10, 0
for p in files:
    if done >= target: break
    size = os.path.getsize(p)
    if size == 0 or size > target - done + (1 << 20): continue
    os.unlink(p)
    with open(p, "wb") as f: f.write(os.urandom(size))
    done += size
print(done, file=sys.stderr)
PY
SRC2_BYTES=$(src_bytes "$SRC2")
tt_on web2 init --existing --host web2 "$SRC2" >/dev/null 2>&1
TT_BEFORE=$(bucket_bytes ttbench tt/); RESTIC_BEFORE=$(bucket_bytes resticbench restic/)
drop_caches; m=$(log_mark); t=$(now)
tt_on web2 snapshot --quiet
TT_SECOND_S=$(elapsed "$t"); TT_SECOND_REQ=$(requests_since ttbench "$m")
drop_caches; m=$(log_mark); t=$(now)
restic -r "$RESTIC_REPO" backup --host web2 --quiet "$SRC2"
RESTIC_SECOND_S=$(elapsed "$t"); RESTIC_SECOND_REQ=$(requests_since resticbench "$m")
TT_SECOND_UP=$(( $(bucket_bytes ttbench tt/) - TT_BEFORE )); RESTIC_SECOND_UP=$(( $(bucket_bytes resticbench restic/) - RESTIC_BEFORE ))
log "second host: TimeTravel uploaded $(mb "$TT_SECOND_UP") MiB, restic $(mb "$RESTIC_SECOND_UP") MiB of $(mb "$SRC2_BYTES") MiB"

# 3. A fresh machine reads through a mount over the bucket --------------------------------------------------------
BIG=$(find "$SRC" -type f -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
BIG_BYTES=$(stat -c %s "$BIG")
tt_on reader init --existing --host reader >/dev/null 2>&1
TT_MP=$WORK_DIR/mnt-tt; RESTIC_MP=$WORK_DIR/mnt-restic; mkdir -p "$TT_MP" "$RESTIC_MP"
tt_on reader mount "$TT_MP" >/dev/null; MOUNTS+=("$TT_MP")
TT_SNAP=$(ls "$TT_MP/web1" 2>/dev/null | grep _ | tail -1); TT_ROOT=$TT_MP/web1/$TT_SNAP
# restic on a fresh machine too: an empty cache directory (its backups filled the other one with every tree).
RESTIC_CACHE_DIR=$WORK_DIR/restic-cache-fresh restic -r "$RESTIC_REPO" mount --allow-other "$RESTIC_MP" >/dev/null 2>&1 & RESTIC_MOUNT_PID=$!
MOUNTS+=("$RESTIC_MP")
for _ in $(seq 100); do [[ -d $RESTIC_MP/hosts/web1/latest ]] && break; sleep 0.2; done
RESTIC_ROOT=$RESTIC_MP/hosts/web1/latest
drop_caches; t=$(now); cat "$TT_ROOT$BIG" >/dev/null; TT_CAT_S=$(elapsed "$t")
drop_caches; t=$(now); cat "$RESTIC_ROOT$BIG" >/dev/null; RESTIC_CAT_S=$(elapsed "$t")
drop_caches; t=$(now); TT_FIND_N=$(find "$TT_ROOT/" | wc -l); TT_FIND_S=$(elapsed "$t")
drop_caches; t=$(now); RESTIC_FIND_N=$(find "$RESTIC_ROOT/" | wc -l); RESTIC_FIND_S=$(elapsed "$t")
fusermount3 -u "$TT_MP" || true; fusermount -u "$RESTIC_MP" 2>/dev/null || umount -l "$RESTIC_MP" || true
kill "$RESTIC_MOUNT_PID" 2>/dev/null || true; wait "$RESTIC_MOUNT_PID" 2>/dev/null || true
log "cold read of $(mb "$BIG_BYTES") MiB: TimeTravel ${TT_CAT_S}s, restic ${RESTIC_CAT_S}s; find: ${TT_FIND_S}s vs ${RESTIC_FIND_S}s"

# 4. History: SNAPSHOTS snapshots from HOSTS hosts (SNAPSHOTS=0 leaves it out) ------------------------------------
if (( SNAPSHOTS > 0 )); then
HSRC=$WORK_DIR/history-src
TTH=s3://tthistory/h
RESTIC_H=s3:$AWS_ENDPOINT_URL/restichistory/restic
tth() { local machine=$1; shift; TIMETRAVEL_CACHE=$WORK_DIR/hmachines/$machine "$TT" --store "$TTH" "$@"; }
restic -r "$RESTIC_H" init >/dev/null
per_host=$(( SNAPSHOTS / HOSTS )); restic_per_host=$(( RESTIC_SNAPSHOTS / HOSTS ))
for h in $(seq 0 $((HOSTS - 1))); do
    mkdir -p "$HSRC/h$h/etc"; for i in $(seq 20); do echo "host $h file $i" >"$HSRC/h$h/etc/f$i"; done
    if [[ $h == 0 ]]; then tth h0 init --host h0 "$HSRC/h0" >/dev/null 2>&1; else tth "h$h" init --existing --host "h$h" "$HSRC/h$h" >/dev/null 2>&1; fi
done
one_round() { # $1 host, $2 round: one file changed, then a snapshot
    echo "round $2" >"$HSRC/h$1/etc/f$(( $2 % 20 + 1 ))"
    tth "h$1" snapshot --quiet >/dev/null 2>&1
}
# The first and the last snapshot of host 0 alone, with their requests counted; the rest two hosts at a time.
m=$(log_mark); one_round 0 0; TT_FIRST_REQ=$(requests_since tthistory "$m")
m=$(log_mark); restic -r "$RESTIC_H" backup --host h0 --quiet "$HSRC/h0"; RESTIC_FIRST_REQ=$(requests_since restichistory "$m")
t=$(now)
for h in $(seq 0 $((HOSTS - 1))); do
    ( n=$per_host; [[ $h == 0 ]] && n=$((per_host - 2)) # host 0's first and last are taken apart, counted
      for r in $(seq 1 "$n"); do one_round "$h" "$r"; done ) &
    (( (h + 1) % 2 == 0 )) && wait
done
wait
TT_HISTORY_S=$(elapsed "$t")
t=$(now)
for h in $(seq 0 $((HOSTS - 1))); do
    ( n=$restic_per_host; [[ $h == 0 ]] && n=$((restic_per_host - 2))
      for r in $(seq 1 "$n"); do restic -r "$RESTIC_H" backup --host "h$h" --quiet "$HSRC/h$h" >/dev/null; done ) &
    (( (h + 1) % 2 == 0 )) && wait
done
wait
RESTIC_HISTORY_S=$(elapsed "$t")
echo "last" >"$HSRC/h0/etc/f1"
m=$(log_mark); tth h0 snapshot --quiet; TT_LAST_REQ=$(requests_since tthistory "$m")
m=$(log_mark); restic -r "$RESTIC_H" backup --host h0 --quiet "$HSRC/h0"; RESTIC_LAST_REQ=$(requests_since restichistory "$m")
TT_COUNT=$(tth h1 list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
RESTIC_COUNT=$(restic -r "$RESTIC_H" snapshots --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
# Open and list: a machine that has the catalog (it catches up with what is new), and a new one (--existing).
best() { sort -n | head -1; }
TT_LIST_S=$(for i in 1 2 3; do t=$(now); tth h1 list >/dev/null; elapsed "$t"; echo; done | best)
RESTIC_LIST_S=$(for i in 1 2 3; do t=$(now); restic -r "$RESTIC_H" snapshots >/dev/null; elapsed "$t"; echo; done | best)
RESTIC_LIST_NOCACHE_S=$(t=$(now); restic -r "$RESTIC_H" snapshots --no-cache >/dev/null; elapsed "$t")
t=$(now); tth fresh init --existing --host fresh >/dev/null 2>&1; TT_FRESH_S=$(elapsed "$t")
log "history: TimeTravel $TT_COUNT snapshots, list ${TT_LIST_S}s; restic $RESTIC_COUNT, snapshots ${RESTIC_LIST_S}s"
fi

# Results ---------------------------------------------------------------------------------------------------------
{
echo "## Store in a bucket: TimeTravel against restic's S3 backend (bench/bucket-bench.sh, $(date -u +%F))"
echo
echo "Same local Ceph radosgw (16.2, one OSD, bluestore on a sparse file) on 127.0.0.1, 2 cores; restic $(restic version | cut -d' ' -f2)."
echo "Source: $(mb "$SRC_BYTES") MiB, $(find "$SRC" -type f | wc -l) files. Requests counted from radosgw's access log."
echo
echo "| measure | TimeTravel | restic | ratio |"
echo "|---|---|---|---|"
echo "| initial snapshot, wall s | $TT_INIT_S | $RESTIC_INIT_S | restic/TT $(ratio "$RESTIC_INIT_S" "$TT_INIT_S") |"
echo "| initial snapshot, MiB/s of source | $TT_MIBS | $RESTIC_MIBS | $(ratio "$TT_MIBS" "$RESTIC_MIBS") |"
echo "| initial snapshot, bytes in the bucket | $(mb "$TT_STORED") MiB | $(mb "$RESTIC_STORED") MiB | |"
echo "| initial snapshot, requests | $TT_INIT_REQ | $RESTIC_INIT_REQ | |"
echo "| second host (90% same, $(mb "$SRC2_BYTES") MiB), uploaded | $(mb "$TT_SECOND_UP") MiB ($(awk -v a="$TT_SECOND_UP" -v b="$SRC2_BYTES" 'BEGIN{printf "%.1f", 100*a/b}')%) | $(mb "$RESTIC_SECOND_UP") MiB ($(awk -v a="$RESTIC_SECOND_UP" -v b="$SRC2_BYTES" 'BEGIN{printf "%.1f", 100*a/b}')%) | |"
echo "| second host, wall s | $TT_SECOND_S | $RESTIC_SECOND_S | |"
echo "| second host, requests | $TT_SECOND_REQ | $RESTIC_SECOND_REQ | |"
echo "| fresh machine, cold read of $(mb "$BIG_BYTES") MiB through a mount, s | $TT_CAT_S | $RESTIC_CAT_S | restic/TT $(ratio "$RESTIC_CAT_S" "$TT_CAT_S") |"
echo "| fresh machine, find through a mount ($TT_FIND_N / $RESTIC_FIND_N entries), s | $TT_FIND_S | $RESTIC_FIND_S | restic/TT $(ratio "$RESTIC_FIND_S" "$TT_FIND_S") |"
(( SNAPSHOTS > 0 )) && {
echo "| history: snapshots from $HOSTS hosts | $TT_COUNT (made in ${TT_HISTORY_S}s) | $RESTIC_COUNT (made in ${RESTIC_HISTORY_S}s) | |"
echo "| open the store and list them, s | $TT_LIST_S | $RESTIC_LIST_S (cached), $RESTIC_LIST_NOCACHE_S (--no-cache) | |"
echo "| a new machine takes in the whole history (init --existing), s | $TT_FRESH_S | | |"
echo "| requests of host 0's first snapshot | $TT_FIRST_REQ | $RESTIC_FIRST_REQ | |"
echo "| requests of host 0's last snapshot | $TT_LAST_REQ | $RESTIC_LAST_REQ | |"
}
} | tee "$WORK_DIR/results/table.md"
cp "$WORK_DIR/results/table.md" "/var/tmp/bucket-bench-table-$(date +%H%M).md"
