#!/usr/bin/env bash
# Latency of `yesterday` (AOT) and of per-file history on a store with many snapshots, side by side with the peers'
# nearest equivalents: restic's `find` and borg's `list` of one path across all their snapshots.
#   usage: bench/yesterday-bench.sh [STORE_WITH_MANY_SNAPSHOTS] [RESTIC_REPO] [BORG_REPO]
# Defaults are the stores bench/mount-bench.sh leaves under /var/tmp/mbench-work.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/var/tmp/mbench-work}
STORE=${1:-$WORK/tt-many}
RESTIC_REPO=${2:-$WORK/restic-many}
BORG_REPO=${3:-$WORK/borg-many}
BIN=/tmp/yesterday-bench-bin
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -d "$STORE" ] || { echo "no store at $STORE (run bench/mount-bench.sh first, or give one)" >&2; exit 1; }

TT_ARTIFACTS=/tmp/art-ybench dotnet publish cli/yesterday/Yesterday.csproj -c Release -r linux-x64 -nologo -v quiet -o $BIN/yesterday
TT_ARTIFACTS=/tmp/art-ybench dotnet publish cli/timetravel/TimeTravel.Cli.csproj -c Release -nologo -v quiet -o $BIN/timetravel
TT=$BIN/timetravel/timetravel; Y=$BIN/yesterday/yesterday

snaps=$("$TT" --store "$STORE" list --json | grep -c '"name"')
file=${FILE:-$("$TT" --store "$STORE" ls latest / -R --json | python3 -c '
import json, sys
print(next("/" + e["name"] for e in json.load(sys.stdin) if e["type"] == "regular"))')}
echo "store $STORE: $snaps snapshots; file $file"

export TIMETRAVEL_STORE=$STORE RESTIC_PASSWORD=${RESTIC_PASSWORD:-mount-bench}
cmds=("$Y $file" "$Y -a $file" "$TT history $file")
names=("yesterday FILE (AOT)" "yesterday -a FILE, $snaps snapshots (AOT)" "timetravel history FILE (AOT)")
# An ordinary user is answered from the mount (the store is root's): measured when this store is mounted.
if grep -q " fuse.timetravel timetravel:$(realpath "$STORE") " /proc/self/mountinfo; then
  cmds+=("setpriv --reuid=65534 --regid=65534 --clear-groups $Y $file"); names+=("yesterday FILE as nobody, from the mount (AOT)")
fi
if [ -d "$RESTIC_REPO" ]; then cmds+=("restic -r $RESTIC_REPO find --quiet $file"); names+=("restic find FILE ($(restic -r "$RESTIC_REPO" snapshots --json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))") snapshots)"); fi
args=()
for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
hyperfine -N --warmup 3 --runs 20 --export-markdown /tmp/yesterday-bench.md "${args[@]}"
cat /tmp/yesterday-bench.md
