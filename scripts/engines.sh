#!/usr/bin/env bash
# Install the real engines the cluster and the back office use, from Debian's packages, when they are missing:
#   scripts/engines.sh [postgresql] [redis] [nginx] [chromium]    (no argument: all of them)
# Idempotent and quiet when everything is there; needs root (the machines and CI run as root) or sudo.
# It installs only: starting an engine is the job of whoever needs it (stack.cluster, the test fixtures).
set -euo pipefail

declare -A probe=(
  [postgresql]="ls /usr/lib/postgresql/*/bin/postgres"
  [redis]="command -v redis-server"
  [nginx]="command -v nginx"
  [chromium]="command -v chromium && command -v chromedriver"
)
declare -A packages=(
  [postgresql]="postgresql"
  [redis]="redis-server"
  [nginx]="nginx"
  [chromium]="chromium chromium-driver"
)

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(postgresql redis nginx chromium)
missing=()
for name in "${wanted[@]}"; do
  [ -n "${packages[$name]:-}" ] || { echo "engines: unknown engine '$name' (known: ${!packages[*]})" >&2; exit 2; }
  bash -c "${probe[$name]}" >/dev/null 2>&1 || missing+=(${packages[$name]})
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "engines: installing ${missing[*]} needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "engines: installing ${missing[*]} from Debian's packages ($(date +%T))"
export DEBIAN_FRONTEND=noninteractive
# Debian's postinst scripts start the system's own services unless policy-rc.d says no; the project starts its
# own instances, on its own ports, so the system's are kept off (only when no policy is in place already).
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy"
fi
$sudo apt-get update -qq || { echo "engines: apt-get update failed (no access to Debian's package mirror?)" >&2; exit 1; }
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || { echo "engines: apt-get install ${missing[*]} failed" >&2; exit 1; }
[ -z "$policy" ] || $sudo rm -f "$policy"
echo "engines: ${missing[*]} installed ($(date +%T))"
