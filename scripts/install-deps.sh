#!/usr/bin/env bash
# Installs the Debian packages the suite, its tests and its demo use: rsync, OpenSSH (client,
# and the server that the tests and the demo start on 127.0.0.1), tmux, lsof, procps, and
# logrotate (a test runs etc/logrotate/dr-suite with it; small, though a bare container also
# gets the cron package it depends on, never started there), and iproute2 (ip, tc: the link
# tests put the DR host in a network namespace behind a shaped veth pair).
# Uses sudo only when not root. Node.js 20+ with npm is expected to be there already.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update </dev/null
$SUDO apt-get install -y --no-install-recommends rsync openssh-server openssh-client tmux lsof procps logrotate iproute2 </dev/null
# sshd's privilege-separation directory: a fresh container has none and sshd refuses to start.
$SUDO mkdir -p /run/sshd
$SUDO chmod 0755 /run/sshd
node -e 'const [maj] = process.versions.node.split(".").map(Number); if (maj < 20) { console.error(`Node.js ${process.versions.node} found; 20 or later is needed`); process.exit(1); }'
