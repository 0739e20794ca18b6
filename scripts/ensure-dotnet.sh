#!/usr/bin/env bash
# Makes sure the .NET 10 SDK is on PATH (Debian 12, as root): Debian's own archive does not carry it, so this
# tries, in order, an apt source that has it (Microsoft's, if configured), Microsoft's Debian 12 repository, and
# Microsoft's dotnet-install.sh into /usr/share/dotnet. Used by install.sh and run-tests.sh.
set -euo pipefail

has_sdk() { command -v dotnet >/dev/null && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; }
has_sdk && exit 0

export DEBIAN_FRONTEND=noninteractive
echo "ensure-dotnet: the .NET 10 SDK is missing; installing it" >&2
if apt-get install -y -qq dotnet-sdk-10.0 >/dev/null 2>&1 && has_sdk; then exit 0; fi

fetch() { # URL FILE
    if command -v curl >/dev/null; then curl -fsSL "$1" -o "$2"
    elif command -v wget >/dev/null; then wget -qO "$2" "$1"
    else apt-get install -y -qq curl >/dev/null && curl -fsSL "$1" -o "$2"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if fetch https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb "$tmp/ms.deb" 2>/dev/null \
   && dpkg -i "$tmp/ms.deb" >/dev/null && apt-get update -qq && apt-get install -y -qq dotnet-sdk-10.0 >/dev/null && has_sdk; then
    exit 0
fi
if fetch https://dot.net/v1/dotnet-install.sh "$tmp/dotnet-install.sh" 2>/dev/null \
   && bash "$tmp/dotnet-install.sh" --channel 10.0 --install-dir /usr/share/dotnet >/dev/null; then
    ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet
    has_sdk && exit 0
fi
echo "ensure-dotnet: could not install the .NET 10 SDK (no network?); install it by hand: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
exit 1
