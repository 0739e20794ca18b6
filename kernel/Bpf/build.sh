#!/usr/bin/env bash
# Builds the range tracker's BPF object: OUTDIR/range-tracker.bpf.o from range-tracker.bpf.c, CO-RE, so one object
# runs on every kernel with BTF. vmlinux.h is generated from this machine's kernel BTF (not committed); the object
# is rebuilt only when the source or this script is newer. Installs clang, libbpf-dev and bpftool when missing.
#   usage: kernel/Bpf/build.sh OUTDIR
set -euo pipefail
[ $# = 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1
object="$out/range-tracker.bpf.o"
source="$here/range-tracker.bpf.c"

if [ -f "$object" ] && [ "$object" -nt "$source" ] && [ "$object" -nt "$0" ]; then exit 0; fi

need=()
command -v clang >/dev/null || need+=(clang)
[ -f /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
command -v bpftool >/dev/null || [ -x /usr/sbin/bpftool ] || need+=(bpftool)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bpftool=$(command -v bpftool || echo /usr/sbin/bpftool)
[ -r /sys/kernel/btf/vmlinux ] || { echo "$0: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF, the range tracker cannot be built here" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bpftool" btf dump file /sys/kernel/btf/vmlinux format c > "$work/vmlinux.h"
# -mcpu=v3: 32-bit atomics (clang 14 cannot emit them for older CPUs); -g: the BTF that CO-RE relocations need.
clang -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I"$work" -Wall -Werror \
  -c "$source" -o "$work/range-tracker.bpf.o"
mv "$work/range-tracker.bpf.o" "$object"
