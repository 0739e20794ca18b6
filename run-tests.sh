#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need when it is missing (Debian 12, as root):
# FUSE 3 and its headers (mount tests and the binding's layout test), attr/acl tools, btrfs and xfs tools (the
# consistent-snapshot tests' loop filesystems), a C compiler, squashfs tools
# (a foreign FUSE mount in the refusal tests), jq (the JSON output is checked with it), the .NET 10 SDK; clang, libbpf-dev and
# bpftool come with kernel/Bpf/build.sh, which compiles the range tracker's BPF program; Ceph's mon, OSD and S3
# gateway and curl (the object-store tests run a single-node Ceph on 127.0.0.1 with scripts/ceph-rgw.sh).
# Arguments go to `dotnet test`: ./run-tests.sh --filter 'Needs!=root&Needs!=fuse&Needs!=fanotify&Needs!=bpf&Needs!=ceph'
# runs only the pure tests (no root, FUSE mount, fanotify tracker, BPF program or Ceph; see tests/Support/Needs.cs).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v fusermount3 >/dev/null || need+=(fuse3)
[ -f /usr/include/fuse3/fuse_lowlevel.h ] || need+=(libfuse3-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v gcc >/dev/null || need+=(gcc)
command -v setfattr >/dev/null || need+=(attr)
command -v setfacl >/dev/null || need+=(acl)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v mkfs.btrfs >/dev/null || need+=(btrfs-progs)
command -v mkfs.xfs >/dev/null || need+=(xfsprogs)
command -v setpriv >/dev/null || need+=(util-linux)
command -v rsync >/dev/null || need+=(rsync)
command -v mksquashfs >/dev/null || need+=(squashfs-tools)
command -v squashfuse >/dev/null || need+=(squashfuse)
command -v jq >/dev/null || need+=(jq)
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v curl >/dev/null || need+=(curl)
# Ceph without its recommends (no mgr dashboard, no Python web stack): about 40 s to install; nothing starts by itself.
need_bare=()
command -v ceph-mon >/dev/null || need_bare+=(ceph-mon)
command -v ceph-osd >/dev/null || need_bare+=(ceph-osd)
command -v radosgw >/dev/null || need_bare+=(radosgw)
command -v ceph >/dev/null || need_bare+=(ceph-common)
if [ ${#need[@]} -gt 0 ] || [ ${#need_bare[@]} -gt 0 ]; then
  echo "installing: ${need[*]} ${need_bare[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  [ ${#need[@]} -eq 0 ] || apt-get install -y -qq "${need[@]}" >/dev/null
  [ ${#need_bare[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${need_bare[@]}" >/dev/null
fi
scripts/ensure-dotnet.sh
[ -e /dev/fuse ] || { echo "run-tests.sh: /dev/fuse is missing; the mount tests need FUSE" >&2; exit 1; }

dotnet build TimeTravel.sln -c Release -nologo -v quiet
# The range tracker's BPF object (clang, libbpf-dev and bpftool are installed by the script when missing).
kernel/Bpf/build.sh artifacts/bpf
export TIMETRAVEL_BPF_OBJECT="$PWD/artifacts/bpf/range-tracker.bpf.o"
# Both commands are installed ahead-of-time compiled (NativeAOT); the tests run these very binaries.
dotnet publish cli/yesterday/Yesterday.csproj -c Release -r linux-x64 -o artifacts/aot -nologo -v quiet
dotnet publish cli/timetravel/TimeTravel.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot-timetravel -nologo -v quiet
export YESTERDAY_AOT="$PWD/artifacts/aot/yesterday" TIMETRAVEL_AOT="$PWD/artifacts/aot-timetravel/timetravel"
# A store's first snapshot records the zone its names are written in: the same on every machine (tests that need
# another zone set TZ for the command they run).
export TZ=UTC
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test tests/TimeTravel.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --blame-hang-timeout 5m "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line, whatever the runner printed above it (VSTest's summary: "Passed: N" / "Failed: N" lines).
passed=$(grep -E '^ +Passed: +[0-9]+$' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
failed=$(grep -E '^ +Failed: +[0-9]+$' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
# The failures again, last, so that a log cut to its tail still names them (each with its message, at most 60 lines).
if [ "${failed:-0}" != 0 ]; then
  echo "failed tests:"
  awk '/^  (Passed|Skipped) /{show=0} /^  Failed /{show=1; n=0} show && n++ < 60' "$log"
fi
[ -n "$passed" ] && echo "tests: ${passed} passed, ${failed:-0} failed"
exit $status
