#!/usr/bin/env bash
# First step of `npm test`: what the suite needs beyond `npm ci`, checked (and Chromium installed when it
# can be) before any test runs, so a missing tool is one clear message rather than a failing test later.
#   moto[server]  the local AWS every integration test and the demo run against   (checked)
#   cfn-lint      the template test                                                (checked)
#   chromium      the HTML report test renders the report headless                 (installed if missing)
# CHROMIUM=/path uses another Chromium; EKS_GUARDRAILS_NO_INSTALL=1 only checks, never installs.
set -uo pipefail

fail() { printf 'npm test: %s\n' "$*" >&2; exit 1; }

command -v python3 >/dev/null || fail "python3 is missing; the tests need it for moto. Install Python 3, then: pip install 'moto[server]' cfn-lint"
moto_version=$(python3 -c 'import moto, moto.server; print(moto.__version__)' 2>/dev/null) \
  || fail "moto (the local AWS the integration tests run against) is missing: pip install 'moto[server]'"
cfn_version=$(cfn-lint --version 2>/dev/null) || fail "cfn-lint (the template test) is missing: pip install cfn-lint"

chromium_install='apt-get update && apt-get install -y chromium'
if [ -n "${CHROMIUM:-}" ]; then
  [ -x "$CHROMIUM" ] || fail "CHROMIUM=$CHROMIUM is not an executable file"
  chromium=$CHROMIUM
else
  chromium=/usr/bin/chromium
  if [ ! -x "$chromium" ]; then
    # Debian's package; the HTML report test needs a headless Chromium (test/support/chromium.ts).
    if [ "${EKS_GUARDRAILS_NO_INSTALL:-}" = 1 ]; then
      fail "Chromium (the HTML report test) is missing. Install it as root: $chromium_install (or set CHROMIUM=/path/to/chromium)"
    fi
    command -v apt-get >/dev/null \
      || fail "Chromium (the HTML report test) is missing and this is not a Debian/Ubuntu machine: install Chromium with your package manager and set CHROMIUM=/path/to/chromium"
    if [ "$(id -u)" -eq 0 ]; then sudo=""
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"
    else fail "Chromium (the HTML report test) is missing and installing it needs root: sudo sh -c '$chromium_install' (or set CHROMIUM=/path/to/chromium)"
    fi
    echo "npm test: installing Chromium for the HTML report test ($chromium_install) …" >&2
    log=$(mktemp -t chromium-install.XXXXXX.log)
    if ! { $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium; } >"$log" 2>&1; then
      tail -n 5 "$log" >&2
      fail "installing Chromium failed (no network or no package source?); log: $log. Install it by hand: $chromium_install"
    fi
    [ -x "$chromium" ] || fail "apt-get installed chromium but $chromium is missing"
  fi
fi
chromium_version=$("$chromium" --version 2>/dev/null | head -n 1) || fail "$chromium does not run: $chromium --version failed"

echo "npm test: moto $moto_version, $cfn_version, $chromium_version" >&2
