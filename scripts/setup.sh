#!/usr/bin/env bash
# Shared by scripts/run, scripts/test and scripts/bench: installs missing Debian packages, configures
# and builds. Sourced, not run. Works as root on a fresh Debian 12, or through sudo otherwise.

PULSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Packages needed to build and test. Tools used only by benchmarks are added by scripts/bench.
PULSE_PACKAGES=(build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
    libboost-dev libssl-dev libsqlite3-dev libyaml-cpp-dev zlib1g-dev libzstd-dev
    xvfb xauth fonts-dejavu-core ca-certificates prometheus prometheus-node-exporter prometheus-alertmanager)

pulse_log() { printf '==> %s\n' "$*" >&2; }

# pulse_install_packages PKG...: apt-get installs the ones not yet installed.
pulse_install_packages() {
    local missing=()
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; return 1; }
        sudo=(sudo)
    fi
    pulse_log "installing: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || return 1
}

# pulse_build DIR TYPE [cmake options...]: configures (once) and builds into DIR.
pulse_build() {
    local dir="$1" type="$2"
    shift 2
    export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
    # Relative paths in the cache key, so a fresh clone elsewhere reuses earlier compiles.
    export CCACHE_BASEDIR="$PULSE_ROOT" CCACHE_NOHASHDIR=1
    cmake -S "$PULSE_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null || return 1
    pulse_log "building $dir ($type)"
    cmake --build "$dir" -j "$(nproc)" || return 1
}
