#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when missing and we are root with apt;
# otherwise say how, and the browser tests will be skipped with that reason.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null && exit 0
fi
echo "Chromium is missing: run 'apt-get install chromium fonts-dejavu-core' to run the browser tests."
exit 1
