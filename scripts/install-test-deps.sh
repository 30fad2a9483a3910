#!/usr/bin/env bash
# Installs what the tests need besides Maven's dependencies: Debian's chromium and chromium-driver (the dashboard
# tests drive a real headless Chromium through the system chromedriver) and qbittorrent-nox (the qBittorrent client
# tests talk to a real qBittorrent Web API). Idempotent: installs only what is missing.
# Needs root (or sudo) and Debian's package registry. Used by .ci/run before ./mvnw verify.
# CHROMIUM_BIN / CHROMEDRIVER / QBITTORRENT_NOX (paths) name programs installed otherwise; the tests read them too.
set -euo pipefail

browser="${CHROMIUM_BIN:-chromium}"
driver="${CHROMEDRIVER:-chromedriver}"
missing=()
command -v "$browser" > /dev/null 2>&1 || { missing+=(chromium); browser=chromium; }
command -v "$driver" > /dev/null 2>&1 || { missing+=(chromium-driver); driver=chromedriver; }
qbittorrent="${QBITTORRENT_NOX:-qbittorrent-nox}"
command -v "$qbittorrent" > /dev/null 2>&1 || { missing+=(qbittorrent-nox); qbittorrent=qbittorrent-nox; }

if (( ${#missing[@]} )); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo > /dev/null 2>&1; then
      sudo="sudo"
    else
      echo "install-test-deps: ${missing[*]} missing, and installing needs root: run this script as root" >&2
      exit 1
    fi
  fi
  echo "install-test-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# The versions the tests will use (Debian builds chromium and its driver from one source package).
"$browser" --version
"$driver" --version
"$qbittorrent" --version
