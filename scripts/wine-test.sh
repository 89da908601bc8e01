#!/usr/bin/env bash
# wine-test: nrun's Windows tests, run for real under Wine 8 on Linux (Debian).
#
#   scripts/wine-test.sh
#
# 1. Installs wine, wine64 and binutils-mingw-w64-x86-64 from Debian's
#    packages when they are missing (as root; apt-get update first).
# 2. Makes a Wine prefix of its own ($NRUN_WINEPREFIX, default
#    ~/.cache/nrun-wineprefix) and puts in its system32 a bcryptprimitives.dll
#    whose ProcessPrng forwards to advapi32.SystemFunction036: every Go >= 1.22
#    executable imports it, and Wine 8 has no such DLL (scripts/wine/).
# 3. Builds nrun.exe and the runner test binary for windows/amd64.
# 4. go test -exec wine: runner's TestWindows* tests, unit and end-to-end
#    (nrun.exe starting copies of the test binary as its app); as root, with
#    a node_modules of another user (chown nobody) for the bin-trust test.
# 5. TestWindowsCtrlC in a pty (script(1)), where Wine gives it a console.
# 6. kill -9 of nrun's Wine process (the closest Linux has to a crash or
#    Task Manager's End task on Windows): within 2 s no process of the
#    script's tree (app, child, detached grandchild) is left.
#
# The portable tests of runner and the cmd/nrun suite do not run here: they
# need /bin/sh or t.TempDir's cleanup, which Go's os.RemoveAll cannot do
# under Wine 8. What Wine cannot prove is listed in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { echo "== wine-test: $* ($((SECONDS - start))s)"; }

# 1. Tools.
need=()
command -v wine >/dev/null || need+=(wine wine64)
command -v x86_64-w64-mingw32-ld >/dev/null || need+=(binutils-mingw-w64-x86-64)
command -v script >/dev/null || need+=(bsdutils)
if ((${#need[@]})); then
  step "installing ${need[*]}"
  if [[ $(id -u) != 0 ]]; then
    echo "wine-test: root is needed to install ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# /usr/bin/wine is a wrapper that execs this (and complains about wine32).
wine=wine
[[ -x /usr/lib/wine/wine64 ]] && wine=/usr/lib/wine/wine64
echo "wine-test: $($wine --version 2>/dev/null)"

# 2. The prefix.
export WINEPREFIX=${NRUN_WINEPREFIX:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/nrun-wineprefix}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
sys32=$WINEPREFIX/drive_c/windows/system32
work=$(mktemp -d)
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# The prefix is this script's own: a server an interrupted run left goes.
wineserver -k >/dev/null 2>&1 || true
if [[ ! -f $sys32/kernel32.dll ]]; then
  step "creating the Wine prefix $WINEPREFIX"
  mkdir -p "$WINEPREFIX"
  wineboot -i >/dev/null 2>&1 || true
  wineserver -w # lets the registry reach the disk
fi
x86_64-w64-mingw32-as -o "$work/processprng.o" scripts/wine/processprng.s
x86_64-w64-mingw32-ld --shared --entry DllMain --subsystem windows \
  -o "$work/bcryptprimitives.dll" "$work/processprng.o" scripts/wine/processprng.def
cp "$work/bcryptprimitives.dll" "$sys32/bcryptprimitives.dll"
# A persistent server, and one throwaway program so that Wine's services
# are up before the tests: started by the first test instead, they would
# hold go test's output pipe open.
wineserver -p
$wine cmd /c exit 0 </dev/null >/dev/null 2>&1 || true

# 3. The programs.
step "building nrun.exe and the runner tests for windows/amd64"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$work/nrun.exe" ./cmd/nrun
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$work/runner.test.exe" ./runner
winpath() { local p=${1//\//\\}; echo "Z:$p"; }
export NRUN_WINTEST_NRUN
NRUN_WINTEST_NRUN=$(winpath "$work/nrun.exe")

# A node_modules\.bin of another Unix user: Wine shows it with another
# owner (Anonymous Logon), as TestWindowsFindBinDirs expects.
if [[ $(id -u) == 0 ]]; then
  mkdir -p "$work/foreign/node_modules/.bin" "$work/foreign/pkg"
  chown -R nobody "$work/foreign/node_modules"
  export NRUN_WINTEST_FOREIGN
  NRUN_WINTEST_FOREIGN=$(winpath "$work/foreign")
fi

# 4. The tests.
step "go test -exec wine ./runner (TestWindows*)"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -count=1 -exec "$wine" -run '^TestWindows' -v ./runner/ </dev/null

# 5. Ctrl-C needs a console: a pty makes Wine give the test one.
step "TestWindowsCtrlC in a pty"
status=0
script -qec "cd runner && $wine '$work/runner.test.exe' -test.run '^TestWindowsCtrlC\$' -test.v -test.count=1" \
  /dev/null </dev/null >"$work/ctrlc.log" 2>&1 || status=$?
sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\r//g' "$work/ctrlc.log"
if [[ $status != 0 ]] || ! grep -q -- '--- PASS: TestWindowsCtrlC' "$work/ctrlc.log"; then
  echo "wine-test: FAIL: TestWindowsCtrlC did not pass in a pty" >&2
  exit 1
fi

# 6. kill -9 of nrun's Wine process. The tree's command lines all carry
# the pid file's path, which holds this run's unique directory name.
step "kill -9 of nrun's Wine process"
pkg=$work/kill9
mkdir -p "$pkg/node_modules/.bin"
cp "$work/runner.test.exe" "$pkg/node_modules/.bin/app.exe"
printf '{"scripts":{"tree":"app tree"}}\n' >"$pkg/package.json"
(cd "$pkg" && exec $wine "$work/nrun.exe" tree "$(winpath "$pkg/pids")" </dev/null >/dev/null 2>&1) &
nrun=$!
mark=$(basename "$work")
for _ in $(seq 200); do
  if grep -q '^child ' "$pkg/pids" 2>/dev/null && grep -q '^grandchild ' "$pkg/pids"; then break; fi
  sleep 0.1
done
before=$(pgrep -c -f -- "$mark" || true)
if ((before < 4)); then
  echo "wine-test: FAIL: the tree did not start ($before processes: $(cat "$pkg/pids" 2>/dev/null))" >&2
  exit 1
fi
kill -9 "$nrun"
left=$before
for _ in $(seq 20); do
  sleep 0.1
  left=$(pgrep -c -f -- "$mark" || true)
  ((left == 0)) && break
done
{ wait "$nrun" || true; } 2>/dev/null
if ((left != 0)); then
  echo "wine-test: FAIL: $left of $before processes still running 2 s after kill -9 of nrun:" >&2
  pgrep -af -- "$mark" >&2 || true
  pkill -9 -f -- "$mark" || true
  exit 1
fi
echo "--- PASS: kill -9 of nrun ($before processes of the tree, none left after 2 s)"

step "all Windows checks passed"
