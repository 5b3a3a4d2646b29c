#!/usr/bin/env bash
# `npm start`: try the extension by hand in a real VS Code, against the local sandbox.
#
#  - Builds (esbuild, development).
#  - With a desktop VS Code on PATH (`code`): opens a new window with the extension under development
#    (--extensionDevelopmentPath) on a scratch folder whose .vscode/settings.json presets
#    "perfectpay.environment": "local" and "perfectpay.revealViewOnStartup": true, and which contains
#    .vscode/perfectpay-reveal-on-startup: the extension's `workspaceContains:` activation event, so that
#    it starts with the window and opens its view (it is not activated at start-up anywhere else).
#  - Otherwise (or with PERFECTPAY_CODE_SERVER=1): installs code-server 4.100.3 (= VS Code 1.100.3) if needed,
#    starts it on 127.0.0.1:${PORT:-8080} (HOST to change the address) with its own profile
#    (.vscode-test/start/, settings preset as above), rebuilds on change (esbuild --watch: reload the page,
#    or run "Developer: Reload Window", to pick up changes), prints the URL that loads the extension, and
#    runs until Ctrl+C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

node esbuild.mjs

state="$root/.vscode-test/start"
ws="$state/workspace"
mkdir -p "$ws/.vscode" "$state/user-data/User" "$state/extensions"
preset='{"perfectpay.environment":"local","perfectpay.revealViewOnStartup":true}'

# Merges the preset into a settings.json (keeps what is there; a file that is not plain JSON is left alone).
merge_settings() {
  node -e '
    const fs = require("fs"); const [file, preset] = process.argv.slice(1);
    let cur = {};
    if (fs.existsSync(file)) { try { cur = JSON.parse(fs.readFileSync(file, "utf8")); } catch { console.error(`note: ${file} is not plain JSON, left as is`); process.exit(0); } }
    fs.writeFileSync(file, JSON.stringify({ ...cur, ...JSON.parse(preset) }, null, 2) + "\n");
  ' "$1" "$2"
}
merge_settings "$ws/.vscode/settings.json" "$preset"
echo "Makes PerfectPay Explorer start with VS Code in this workspace (activation event workspaceContains)." \
  >"$ws/.vscode/perfectpay-reveal-on-startup"

if [ -z "${PERFECTPAY_CODE_SERVER:-}" ] && command -v code >/dev/null 2>&1; then
  echo "Opening VS Code with the extension under development (workspace: $ws)..."
  exec code --extensionDevelopmentPath="$root" --new-window "$ws"
fi

bash "$root/scripts/install-code-server.sh"

host=${HOST:-127.0.0.1}
port=${PORT:-8080}
if curl -fsS -o /dev/null "http://$host:$port/healthz" 2>/dev/null; then
  echo "Something already answers on $host:$port (another code-server?). Stop it, or set PORT=..." >&2
  exit 1
fi

merge_settings "$state/user-data/User/settings.json" \
  '{"workbench.startupEditor":"none","security.workspace.trust.enabled":false,"telemetry.telemetryLevel":"off","update.mode":"none","extensions.autoCheckUpdates":false,"git.openRepositoryInParentFolders":"never","perfectpay.environment":"local","perfectpay.revealViewOnStartup":true}'

pids=()
cleanup() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

log="$state/code-server.log"
"$root/.vscode-test/code-server/node_modules/.bin/code-server" \
  --auth none --bind-addr "$host:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --extensions-dir "$state/extensions" --user-data-dir "$state/user-data" "$ws" >"$log" 2>&1 &
pids+=($!)

if [ -z "${PERFECTPAY_NO_WATCH:-}" ]; then
  node esbuild.mjs --watch >"$state/esbuild-watch.log" 2>&1 &
  pids+=($!)
fi

for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://$host:$port/healthz" 2>/dev/null && break
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "code-server did not start:" >&2; cat "$log" >&2; exit 1; fi
  sleep 0.5
done

url=$(node -e '
  const [host, port, root, ws] = process.argv.slice(1);
  const uri = (p) => `vscode-remote://${host}:${port}${p.split("/").map(encodeURIComponent).join("/")}`;
  const payload = [["extensionDevelopmentPath", uri(root)]];
  console.log(`http://${host}:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
' "$host" "$port" "$root" "$ws")
echo "$url" >"$state/url.txt"

cat <<EOF

PerfectPay Explorer is running in code-server (VS Code 1.100.3). Open this URL in your browser:

  $url

(On another machine: ssh -L $port:$host:$port THIS_HOST, then open the same URL there.)
Bundles rebuild on change (log: .vscode-test/start/esbuild-watch.log): reload the page to pick them up.
code-server log: .vscode-test/start/code-server.log.   Ctrl+C to stop.
EOF

wait "${pids[0]}"
