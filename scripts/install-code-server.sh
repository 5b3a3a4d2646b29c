#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) into .vscode-test/code-server, the offline stand-in
# for the VS Code desktop that @vscode/test-electron would download (see README, "Tests").
# Idempotent: does nothing when the right version is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.vscode-test/code-server"
want=4.100.3
installed() {
  [ -f "$dest/node_modules/code-server/package.json" ] &&
    grep -q "\"version\": \"$want\"" "$dest/node_modules/code-server/package.json" &&
    [ -x "$dest/node_modules/.bin/code-server" ] &&
    [ -f "$dest/.installed-$want" ]   # written last: an interrupted install is redone
}
installed && exit 0
# One install at a time (several test runs may start together on a fresh tree).
mkdir -p "$dest"
exec 9>"$dest/.install.lock"
flock 9
installed && exit 0
# Debian packages: kerberos headers for code-server's native module, ripgrep for its search,
# chromium for the headless browser the tests drive.
need=()
for p in chromium libkrb5-dev ripgrep; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# @vscode/ripgrep's postinstall downloads rg from the internet unless it finds a cached archive.
for v in 1.15.11 1.15.10 1.15.9; do
  d="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$v"; mkdir -p "$d" /tmp/rgpack; cp /usr/bin/rg /tmp/rgpack/rg
  tar czf "$d/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /tmp/rgpack rg
done
mkdir -p "$dest"
echo "Installing code-server $want into .vscode-test/ (about a minute)..."
npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund --loglevel=error \
  --prefix "$dest" "code-server@$want" >/dev/null
touch "$dest/.installed-$want"
echo "code-server $want installed."
