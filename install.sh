#!/usr/bin/env bash
# Sets TimeTravel up on Debian 12 (as root) and runs its main job on the defaults:
# installs what is missing (FUSE 3, the .NET 10 SDK), builds and installs `timetravel`, creates the store /var/lib/timetravel,
# records SOURCE (default /etc), takes a first snapshot and mounts the snapshots at /backup/.snapshot.
#   usage: ./install.sh [SOURCE...]
set -euo pipefail
cd "$(dirname "$0")"
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (it installs packages and mounts)" >&2; exit 1; }

STORE=${TIMETRAVEL_STORE:-/var/lib/timetravel}
MOUNT=/backup/.snapshot
PREFIX=/usr/local
[ $# -gt 0 ] || set -- /etc
SOURCES=("$@")
case "$STORE" in *"'"*) echo "install.sh: the store path may not hold a single quote (it is written into the apt hook): $STORE" >&2; exit 1;; esac

need=()
command -v fusermount3 >/dev/null || need+=(fuse3)
[ -f /usr/include/fuse3/fuse_lowlevel.h ] || need+=(libfuse3-dev)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
scripts/ensure-dotnet.sh

dotnet publish cli/timetravel/TimeTravel.Cli.csproj -c Release -nologo -v quiet -o "$PREFIX/lib/timetravel"
ln -sf "$PREFIX/lib/timetravel/timetravel" "$PREFIX/bin/timetravel"
# yesterday is compiled ahead of time: it answers in milliseconds, not the JIT's hundred.
dotnet publish cli/yesterday/Yesterday.csproj -c Release -r linux-x64 -nologo -v quiet -o "$PREFIX/lib/yesterday"
ln -sf "$PREFIX/lib/yesterday/yesterday" "$PREFIX/bin/yesterday"
install -m 0755 fs/mount.timetravel /sbin/mount.timetravel
# The range tracker's BPF object, compiled for this kernel's BTF; `timetravel track` runs file-level only without it.
if kernel/Bpf/build.sh artifacts/bpf; then
  install -D -m 0644 artifacts/bpf/range-tracker.bpf.o /usr/lib/timetravel/range-tracker.bpf.o
else
  echo "install.sh: the range tracker could not be built; \`timetravel track\` will track whole files only" >&2
fi
install -d "$PREFIX/share/man/man8" "$PREFIX/share/man/man1"
install -m 0644 docs/man/timetravel.8 "$PREFIX/share/man/man8/timetravel.8"
install -m 0644 docs/man/mount.timetravel.8 "$PREFIX/share/man/man8/mount.timetravel.8"
install -m 0644 docs/man/yesterday.1 "$PREFIX/share/man/man1/yesterday.1"
install -d /usr/share/bash-completion/completions
install -m 0644 docs/completion/timetravel.bash /usr/share/bash-completion/completions/timetravel
ln -sf timetravel /usr/share/bash-completion/completions/yesterday
install -m 0644 kernel/timetravel-track.service cli/systemd/timetravel-snapshot.service cli/systemd/timetravel-snapshot.timer \
  fs/timetravel-mount.service /etc/systemd/system/
# The units and every timetravel command started by them.
printf 'TIMETRAVEL_STORE=%s\nTIMETRAVEL_MOUNT=%s\n' "$STORE" "$MOUNT" > /etc/default/timetravel
# The hardened units may write only the store: one kept elsewhere than /var/lib/timetravel is named in a drop-in.
for unit in timetravel-track timetravel-snapshot; do
  install -d "/etc/systemd/system/$unit.service.d"
  printf '[Unit]\nRequiresMountsFor=%s\n[Service]\nReadWritePaths=%s\n' "$STORE" "$STORE" > "/etc/systemd/system/$unit.service.d/store.conf"
done
install -d /etc/systemd/system/timetravel-mount.service.d
printf '[Unit]\nRequiresMountsFor=%s\n' "$STORE" > /etc/systemd/system/timetravel-mount.service.d/store.conf

timetravel --store "$STORE" init "$@"
timetravel --store "$STORE" snapshot || [ $? = 3 ]   # 3: taken, but some files could not be read
# Package transactions: a pinned checkpoint before each dpkg run (apt's, or a plain `dpkg -i`) and a snapshot after it
# that notes the packages; `timetravel list` shows the pairs. The hooks never stop apt or dpkg (see the files).
store_option=""
[ "$STORE" = /var/lib/timetravel ] || store_option="--store '$STORE'"
for hook in "cli/apt/80timetravel /etc/apt/apt.conf.d/80timetravel" "cli/apt/dpkg.cfg /etc/dpkg/dpkg.cfg.d/timetravel"; do
  set -- $hook
  text=$(<"$1")
  text=${text//@TIMETRAVEL@/$PREFIX/bin/timetravel}
  install -d "$(dirname "$2")"
  printf '%s\n' "${text//@STORE@/$store_option}" > "$2"
done
set -- "${SOURCES[@]}"
mkdir -p "$MOUNT"
# The mount (brought back at boot, restarted if its daemon dies), hourly snapshots and the change tracker, where
# systemd runs this machine; in a container without it, the mount is started by hand and the rest is yours to run.
# After each snapshot the timer applies the saved retention policy and collects garbage; no policy is saved here,
# so nothing is removed until the admin saves one (`timetravel policy set`).
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if grep -q " $MOUNT " /proc/self/mountinfo; then timetravel umount "$MOUNT"; fi   # a mount of an earlier install
  systemctl enable --now timetravel-mount.service timetravel-track.service timetravel-snapshot.timer
  for _ in $(seq 50); do grep -q " $MOUNT " /proc/self/mountinfo && break; sleep 0.1; done
else
  if ! grep -q " $MOUNT " /proc/self/mountinfo; then timetravel --store "$STORE" mount "$MOUNT"; fi
  echo "systemd is not running here: the mount will not come back after a reboot; start \`timetravel track\` and schedule \`timetravel snapshot\`, \`timetravel forget --policy\` and \`timetravel gc\` (cron) yourself"
fi
echo
echo "No retention policy is saved: every hourly snapshot is kept. To keep fewer: timetravel policy set --keep-hourly 24 --keep-daily 14 --keep-weekly 8"
echo "Snapshots of $* are under $MOUNT:"
ls "$MOUNT"
