#!/bin/bash
# Boots a private systemd (PID 1 of a new PID and mount namespace) that runs the shipped units from a scratch
# directory, so the tests can check what the units do under real systemd without touching the host's init.
#   usage: unshare --fork --pid --mount --mount-proc boot-systemd.sh SCRATCH UNIT_FILE...
# SCRATCH/bin/timetravel is the program under test and SCRATCH/default the environment file; the host's
# /usr/local/bin, /etc/default/timetravel and /run are replaced inside the namespace only.
set -euo pipefail
scratch=$1; shift
mount --make-rprivate /
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/system
for unit in "$@"; do
  cp "$unit" /run/systemd/system/
  name=$(basename "$unit")
  mkdir -p "/run/systemd/system/$name.d"
  # No sysinit/basic targets: only the unit under test starts.
  printf '[Unit]\nDefaultDependencies=no\n' > "/run/systemd/system/$name.d/test.conf"
done
mount --bind "$scratch/bin" /usr/local/bin
mkdir -p "$scratch/etc-default"; cp "$scratch/default" "$scratch/etc-default/timetravel"
mount --bind "$scratch/etc-default" /etc/default
printf '[Unit]\nDescription=test\nDefaultDependencies=no\n' > /run/systemd/system/tt-test.target
export container=other
exec /lib/systemd/systemd --system --unit=tt-test.target --log-target=null
