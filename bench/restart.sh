#!/usr/bin/env bash
# bench/restart.sh: restarts side by side — nrun --watch, nodemon and
# node --watch — on the same app, in one run:
#
#     bash bench/restart.sh
#
# The app (a Node server) listens on a fixed loopback port and starts a
# detached child, as apps with workers do. For each tool the script starts
# the app, changes server.js RESTARTS times (default 20), each time waiting
# until the new run has listened (or failed with EADDRINUSE), then stops the
# tool with SIGTERM. It records, per tool:
#   - detached children left behind after the restarts (besides the current
#     run's own) and after the tool was stopped;
#   - runs that failed to listen with EADDRINUSE;
#   - the time from the file change to the new run listening (median, max).
# nodemon comes from the npm registry into a scratch directory outside the
# repository; node must be installed. Results go to stdout and to
# bench/RESTART.md. Slow results are reported, never asserted.
#
# Knobs (environment): RESTARTS (20), PORT (47311), TMPDIR.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${TMPDIR:-/tmp}/nrun-bench-restart
RESTARTS=${RESTARTS:-20}
PORT=${PORT:-47311}
RESULTS=$REPO/bench/RESTART.md

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
command -v node >/dev/null || die "node is needed"
now_ms() { date +%s%3N; }

say "building nrun"
mkdir -p "$WORK/bin"
(cd "$REPO" && CGO_ENABLED=0 go build -trimpath -o "$WORK/bin/nrun" ./cmd/nrun)
if [[ ! -x $WORK/peers/node_modules/.bin/nodemon ]]; then
  say "installing nodemon from the npm registry"
  npm install --silent --no-audit --no-fund --prefix "$WORK/peers" nodemon >/dev/null
fi
NODEMON_VERSION=$("$WORK/peers/node_modules/.bin/nodemon" --version)

# The app. Its log lines: "listening <ms>" or "EADDRINUSE <ms>".
app() {
  local dir=$1 tool=$2
  rm -rf "$dir" && mkdir -p "$dir"
  cat >"$dir/server.js" <<JS
const http = require('http');
const fs = require('fs');
const { spawn } = require('child_process');
const log = (s) => fs.appendFileSync('$dir.log', s + ' ' + Date.now() + '\n');
// A detached worker, as apps start them: it outlives the app unless the
// whole tree is ended.
spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', 'nrun-bench-worker-$tool'],
  { detached: true, stdio: 'ignore' }).unref();
const server = http.createServer((req, res) => res.end('ok'));
server.on('error', (e) => { log(e.code === 'EADDRINUSE' ? 'EADDRINUSE' : 'error'); process.exit(1); });
server.listen($PORT, '127.0.0.1', () => log('listening'));
for (const sig of ['SIGTERM', 'SIGINT', 'SIGUSR2']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
// edit
JS
  printf '{"name":"app","scripts":{"start":"node server.js"}}\n' >"$dir/package.json"
  : >"$dir.log"
}

count() { grep -c "^$1 " "$2" 2>/dev/null || true; }
# The workers of a tool, by the marker on their command line.
worker_pids() { pgrep -f "setInterval.*nrun-bench-worker-$1" || true; }
workers() { worker_pids "$1" | wc -l; }
end_workers() { local p; p=$(worker_pids "$1"); [[ -z $p ]] || kill -9 $p 2>/dev/null || true; }

ROWS=()
bench() {
  local tool=$1; shift
  local dir=$WORK/app-$tool log=$WORK/app-$tool.log
  end_workers "$tool"
  app "$dir" "$tool"
  say "$tool: $*"
  (cd "$dir" && exec "$@" </dev/null >"$WORK/$tool.out" 2>&1) &
  local pid=$! lat=() runs=0
  wait_runs() { # until $1 runs have listened or failed
    local deadline=$(($(now_ms) + 15000))
    while (($(count listening "$log") + $(count EADDRINUSE "$log") < $1)); do
      (($(now_ms) < deadline)) || return 1
      sleep 0.01
    done
  }
  wait_runs 1 || { kill "$pid"; die "$tool: the app did not start"; }
  local missed=0
  for ((i = 2; i <= RESTARTS + 1; i++)); do
    sleep 0.3 # let the run settle, as between two saves
    local t0; t0=$(now_ms)
    printf '// edit %d\n' "$i" >>"$dir/server.js"
    if ! wait_runs "$i"; then
      missed=$((missed + 1)) # no new run: the tool gave up (a crashed run waits for a change)
      continue
    fi
    local t1; t1=$(tail -n 1 "$log" | awk '{print $2}')
    lat+=($((t1 - t0)))
  done
  local during; during=$(($(workers "$tool") - 1))
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 1 # what is left a second after the tool ended
  local after; after=$(workers "$tool")
  end_workers "$tool"
  local inuse; inuse=$(count EADDRINUSE "$log")
  local med=- max=-
  if ((${#lat[@]})); then
    med=$(printf '%s\n' "${lat[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    max=$(printf '%s\n' "${lat[@]}" | sort -n | tail -n 1)
  fi
  ROWS+=("| $tool | $((during < 0 ? 0 : during)) | $after | $inuse | $missed | $med | $max |")
}

bench nrun "$WORK/bin/nrun" --watch start
bench nodemon "$WORK/peers/node_modules/.bin/nodemon" server.js
bench node-watch node --watch server.js

{
  echo "# Restarts: nrun --watch, nodemon, node --watch"
  echo
  echo "$(date -u +%Y-%m-%d), $(uname -sm), node $(node --version), nodemon $NODEMON_VERSION, $RESTARTS restarts"
  echo "of an app that listens on 127.0.0.1:$PORT and starts a detached worker (\`bash bench/restart.sh\`)."
  echo
  echo "| tool | workers left after $RESTARTS restarts | left 1 s after SIGTERM | EADDRINUSE | edits without a new run | change → listening, median ms | max ms |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$RESULTS"
