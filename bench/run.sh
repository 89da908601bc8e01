#!/usr/bin/env bash
# bench/run.sh: nrun's start time and wrapper memory, side by side with
# /bin/true, a Go execve floor and the runners people use (npm run,
# node --run, bun run, pnpm run, yarn run), and the npm package's
# node_modules/.bin/nrun against its binary. One command from a fresh clone:
#
#     bash bench/run.sh
#
# It installs what it needs (hyperfine through apt-get, the peers from the npm
# registry into a scratch directory outside the repository), builds nrun as a
# release is built, prints two tables and writes them to bench/RESULTS.md.
# It exits non-zero only when something could not run; slow results are
# reported, never asserted.
#
# Knobs (environment): RUNS (200), WARMUP (20), MONO_RUNS (10: the runs of
# each command over all 500 workspaces, which take seconds), REFRESH=1 to
# reinstall the peers, TMPDIR for the scratch directories.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRATCH=${TMPDIR:-/tmp}
WORK=$SCRATCH/nrun-bench        # binaries, fixtures, hyperfine's JSON and logs
PEERS=$SCRATCH/nrun-bench-peers # node, npm, bun, pnpm, yarn from the registry
FX=$WORK/fx
RUNS=${RUNS:-200}
WARMUP=${WARMUP:-20}
MONO_RUNS=${MONO_RUNS:-10}
RESULTS=$REPO/bench/RESULTS.md

FAILED=()      # what could not run: the exit status
SKIPPED=()     # peers that are not available here
NOISY=()       # benchmarks hyperfine warned about (outliers, a busy machine)
ROWS=()        # "label|version|json" for the start-time table
MEM=()         # "label|processes|KiB" for the memory table
declare -A RAN # the peers that ran the noop script: only they get a memory row

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
fail() { printf 'FAILED: %s\n' "$*" >&2; FAILED+=("$*"); }
skip() { printf 'skipped: %s\n' "$*"; SKIPPED+=("$*"); }

# as_root runs a command as root: apt-get needs it, and sudo may be absent
# (containers run as root) or present (a workstation).
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

ensure_hyperfine() {
	command -v hyperfine >/dev/null && return
	say "installing hyperfine"
	if command -v apt-get >/dev/null; then
		# A fresh image has no package lists: update only when the install fails.
		as_root apt-get install -y hyperfine >/dev/null 2>&1 ||
			{ as_root apt-get update >/dev/null 2>&1 && as_root apt-get install -y hyperfine >/dev/null 2>&1; } || true
	fi
	command -v hyperfine >/dev/null || die "hyperfine is missing and apt-get could not install it (see https://github.com/sharkdp/hyperfine)"
}

# node_package is the npm package that carries a plain node binary for this
# machine: the `node` package only downloads one in a postinstall script.
node_package() {
	local os arch
	case $(uname -s) in Linux) os=linux ;; Darwin) os=darwin ;; *) return 1 ;; esac
	case $(uname -m) in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) return 1 ;; esac
	echo "node-$os-$arch"
}

# install_peers puts the peers into $PEERS/node_modules/.bin. It keeps what an
# earlier run installed (REFRESH=1 reinstalls), and falls back to one package
# at a time so one that fails does not cost the others. Yarn is pinned to
# classic (1.x), the yarn most projects still run scripts with.
install_peers() {
	if ! command -v npm >/dev/null; then
		skip "the npm registry peers (no npm here to install them with)"
		return
	fi
	if [ "${REFRESH:-}" = 1 ]; then rm -rf "$PEERS"; fi
	mkdir -p "$PEERS"
	[ -f "$PEERS/package.json" ] || echo '{"private":true}' >"$PEERS/package.json"
	local want=() spec node
	node=$(node_package) || node=
	for spec in $node npm bun pnpm yarn@1; do
		[ -f "$PEERS/node_modules/${spec%@*}/package.json" ] || want+=("$spec")
	done
	[ ${#want[@]} = 0 ] && return
	say "installing ${want[*]} into $PEERS"
	local npm_install=(npm install --prefix "$PEERS" --no-audit --no-fund --loglevel=error)
	"${npm_install[@]}" "${want[@]}" >&2 && return
	for spec in "${want[@]}"; do
		"${npm_install[@]}" "$spec" >&2 || printf 'bench: could not install %s\n' "$spec" >&2
	done
}

# build makes nrun as a release makes it, the floor: a static Go binary
# that only execve's /bin/true, the least any Go program can cost, and the
# floor with nrun's dependencies linked in (bench/floordeps), the least a
# program built on them can cost.
build() {
	mkdir -p "$WORK/bin"
	say "building nrun (CGO_ENABLED=0 -trimpath -tags urfave_cli_no_docs -ldflags '-s -w', as releases) and the Go floors"
	(cd "$REPO" &&
		CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$WORK/bin/nrun" ./cmd/nrun &&
		CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$WORK/bin/floor" ./bench/floor &&
		CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$WORK/bin/floordeps" ./bench/floordeps) ||
		die "go build failed"
}

# make_fixtures writes the packages: small (the one every runner is timed
# on), deep (the same package, run from 10 directories below it), big (1 MB:
# 1,000 scripts with noop last, so a scan for it reads them all, 3,000
# dependencies, and a description that fills the rest), exec (noop is
# /bin/true: `true` is a shell builtin that nrun, like sh, runs without any
# execve, so only this one compares like with like against the Go floor) and
# sleep (the long script the memory table is taken during).
make_fixtures() {
	rm -rf "$FX"
	mkdir -p "$FX/small" "$FX/deep/1/2/3/4/5/6/7/8/9/10" "$FX/big" "$FX/exec" "$FX/sleep"
	echo '{"scripts":{"noop":"true"}}' >"$FX/small/package.json"
	cp "$FX/small/package.json" "$FX/deep/package.json"
	awk 'BEGIN {
		rest = "\",\"scripts\":{"
		for (i = 1; i < 1000; i++) rest = rest sprintf("\"script-%d\":\"node tools/task.js --step %d\",", i, i)
		rest = rest "\"noop\":\"true\"},\"dependencies\":{"
		for (i = 1; i <= 3000; i++) rest = rest sprintf("%s\"dep-%d\":\"^%d.%d.0\"", (i > 1 ? "," : ""), i, i % 20, i % 7)
		rest = rest "}}\n"
		head = "{\"name\":\"big\",\"version\":\"1.0.0\",\"description\":\""
		n = 1048576 - length(head) - length(rest)
		for (pad = "x"; length(pad) < n; ) pad = pad pad # mawk caps sprintf at 8 KiB
		printf "%s%s%s", head, substr(pad, 1, n), rest
	}' >"$FX/big/package.json"
	echo '{"scripts":{"noop":"/bin/true"}}' >"$FX/exec/package.json"
	echo '{"scripts":{"sleep":"sleep 30"}}' >"$FX/sleep/package.json"
	scale_fixtures
}

# scale_fixtures makes the rows that grow one dimension: a 10 MB
# package.json (1,000 scripts of 10 KiB), 1,000 short scripts, the
# package.json 50 directories up, and a monorepo of 500 workspaces.
scale_fixtures() {
	local deep50 i
	deep50=$FX/deep50/$(seq -s / 1 50)
	mkdir -p "$FX/huge" "$FX/many" "$deep50" "$FX/mono/packages"
	awk 'BEGIN {
		for (pad = "x"; length(pad) < 10240; ) pad = pad pad # mawk caps sprintf at 8 KiB
		pad = substr(pad, 1, 10240)
		printf "{\"name\":\"huge\",\"version\":\"1.0.0\",\"scripts\":{"
		for (i = 1; i < 1000; i++) printf "\"script-%d\":\"echo %d %s\",", i, i, pad
		printf "\"noop\":\"true\"}}\n"
	}' >"$FX/huge/package.json"
	awk 'BEGIN {
		printf "{\"name\":\"many\",\"version\":\"1.0.0\",\"scripts\":{"
		for (i = 1; i < 1000; i++) printf "\"script-%d\":\"node tools/task.js %d\",", i, i
		printf "\"noop\":\"true\"}}\n"
	}' >"$FX/many/package.json"
	cp "$FX/small/package.json" "$FX/deep50/package.json"
	echo '{"name":"mono","private":true,"workspaces":["packages/*"]}' >"$FX/mono/package.json"
	printf 'packages:\n  - "packages/*"\n' >"$FX/mono/pnpm-workspace.yaml" # pnpm reads only this
	for ((i = 1; i <= 500; i++)); do
		mkdir -p "$FX/mono/packages/pkg-$i"
		printf '{"name":"pkg-%d","version":"1.0.0","scripts":{"noop":"true"}}\n' "$i" >"$FX/mono/packages/pkg-$i/package.json"
	done
	DEEP50=$deep50
}

# install_npm_package puts nrun's npm packages for this machine, built by
# scripts/npm-packages.sh, into $FX/npm as a user's npm would (offline, no
# install scripts); the script noop is /bin/true, so every row execs.
install_npm_package() {
	local os arch
	os=$(go env GOOS) arch=$(go env GOARCH)
	rm -rf "$WORK/npm-out" "$FX/npm"
	mkdir -p "$FX/npm"
	echo '{"name":"npm-fixture","version":"1.0.0","scripts":{"noop":"/bin/true"}}' >"$FX/npm/package.json"
	bash "$REPO/scripts/npm-packages.sh" "$WORK/npm-out" "$os/$arch" >/dev/null &&
		(cd "$FX/npm" && npm install --ignore-scripts --offline --no-audit --no-fund --loglevel=error \
			--cache "$WORK/npm-cache" "$WORK"/npm-out/*.tgz >&2)
}

# value FIELD JSON: one number of hyperfine's export (one command per file).
value() { sed -n "s/^ *\"$1\": *\([^,]*\),*\$/\1/p" "$2" | head -n 1; }

# bench LABEL VERSION DIR PROGRAM ARGS...: one hyperfine run in DIR; its
# JSON becomes a row. Each command has its own run because each needs its
# own working directory (hyperfine -N has no per-command cwd). BENCH_RUNS
# and BENCH_WARMUP, when set, replace RUNS and WARMUP for it.
bench() {
	local label=$1 version=$2 dir=$3
	shift 3
	local n=${#ROWS[@]}
	local json=$WORK/json/$n.json log=$WORK/json/$n.log
	say "$label"
	if (cd "$dir" && hyperfine -N --warmup "${BENCH_WARMUP:-$WARMUP}" --runs "${BENCH_RUNS:-$RUNS}" --export-json "$json" "$(printf '%q ' "$@")") >"$log" 2>&1; then
		grep -E '^ *(Time|Range)' "$log" >&2 || true
		if grep -q Warning "$log"; then NOISY+=("$label"); fi
		ROWS+=("$label|$version|$json")
	else
		tail -n 5 "$log" >&2
		fail "$label (hyperfine log: $log)"
	fi
}

# peer LABEL PROGRAM ARGS...: benchmark a runner if it is installed and can
# run the noop script at all (node before 22 has no --run, say).
peer() { peer_in "$FX/small" "$@"; }

# peer_in DIR LABEL PROGRAM ARGS...: peer, run in DIR.
peer_in() {
	local dir=$1 label=$2 prog version status=0
	shift 2
	if ! prog=$(command -v "$1"); then
		skip "$label ($1 not available)"
		return
	fi
	shift
	(cd "$dir" && "$prog" "$@") </dev/null >"$WORK/probe.log" 2>&1 || status=$?
	if [ "$status" != 0 ]; then
		skip "$label ($prog exits $status: $(grep -m 1 . "$WORK/probe.log"))"
		return
	fi
	RAN[$label]=1
	version=$("$prog" --version 2>/dev/null </dev/null | head -n 1) || version=?
	bench "$label" "$version" "$dir" "$prog" "$@"
}

# tree PID: PID and its descendants, parents first (Linux /proc).
tree() {
	local child
	echo "$1"
	for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$child"; done
}

comm() { cat /proc/"$1"/comm 2>/dev/null; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status 2>/dev/null; }

# measure_rss PEER LABEL PROGRAM ARGS...: start the long script, wait until
# its `sleep` runs, then add up VmRSS of every other process of the tree:
# what the runner keeps alive for as long as the app runs. PEER names the
# start-time row that proved the runner works (none for nrun); a peer that
# was skipped there is skipped here without a second notice.
measure_rss() {
	local label=$2 prog
	[ -z "$1" ] || [ -n "${RAN[$1]:-}" ] || return 0
	shift 2
	prog=$(command -v "$1") || { fail "$label memory ($1 not found)"; return; }
	shift
	(cd "$FX/sleep" && exec "$prog" "$@") </dev/null >/dev/null 2>&1 &
	local top=$! pids=() app= p i
	for ((i = 0; i < 100; i++)); do # 10 s: yarn and npm start slowly on a busy machine
		mapfile -t pids < <(tree "$top")
		for p in "${pids[@]}"; do [ "$(comm "$p")" = sleep ] && app=$p; done
		[ -n "$app" ] && break
		sleep 0.1
	done
	# A runner may still be finishing its start-up work when the app starts.
	sleep 0.5
	mapfile -t pids < <(tree "$top")
	local procs=() total=0 kib
	for p in "${pids[@]}"; do
		[ "$p" = "$app" ] && continue
		kib=$(rss_kib "$p") || continue
		[ -n "$kib" ] || continue
		procs+=("$(comm "$p") $(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }') MiB")
		total=$((total + kib))
	done
	# Stop the tree: the app first, so each runner sees its script end, then
	# whatever runner is left. Only the processes started here are signalled.
	for p in $app "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait "$top" 2>/dev/null || true
	if [ -z "$app" ]; then
		fail "$label memory (the script's sleep never started)"
		return
	fi
	local joined=
	[ ${#procs[@]} = 0 ] || joined=$(printf '%s, ' "${procs[@]}")
	MEM+=("$label|${joined%, }|$total")
}

ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }

# start_table prints the start-time table in markdown: medians, and each one
# over the Go floor's median (the floor's row is the one labelled "Go floor").
start_table() {
	local row label version json floor= median
	for row in "${ROWS[@]}"; do
		IFS='|' read -r label version json <<<"$row"
		[ "$label" = "Go floor" ] && floor=$(value median "$json")
	done
	echo "| command | version | median | min | mean ± σ | ratio to Go floor |"
	echo "|---|---|---:|---:|---:|---:|"
	for row in "${ROWS[@]}"; do
		IFS='|' read -r label version json <<<"$row"
		median=$(value median "$json")
		printf '| `%s` | %s | %s | %s | %s ± %s | %s |\n' "$label" "$version" "$(ms "$median")" \
			"$(ms "$(value min "$json")")" "$(ms "$(value mean "$json")")" "$(ms "$(value stddev "$json")")" \
			"$(awk -v a="$median" -v b="${floor:-0}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }')"
	done
}

mem_table() {
	local row label procs kib
	echo "| runner | processes besides the app (VmRSS) | total |"
	echo "|---|---|---:|"
	for row in "${MEM[@]}"; do
		IFS='|' read -r label procs kib <<<"$row"
		printf '| `%s` | %s | %s |\n' "$label" "${procs:-none}" "$(awk -v k="$kib" 'BEGIN { printf "%.1f MiB", k / 1024 }')"
	done
}

# median_of LABEL [FIELD] and mem_of LABEL find a row's figure for the
# targets: the median, or another of hyperfine's fields (min).
median_of() {
	local row label version json
	for row in "${ROWS[@]}"; do
		IFS='|' read -r label version json <<<"$row"
		[ "$label" = "$1" ] && value "${2:-median}" "$json"
	done
	return 0
}
mem_of() {
	local row label procs kib
	for row in "${MEM[@]}"; do
		IFS='|' read -r label procs kib <<<"$row"
		[ "$label" = "$1" ] && echo "$kib"
	done
	return 0
}

# ratio_row CASE TARGET VALUE BASE [LIMIT]: one row of the targets table,
# VALUE over BASE (two medians in seconds); with LIMIT, whether the ratio
# stays within it.
ratio_row() {
	if [ -z "$3" ] || [ -z "$4" ]; then
		printf '| %s | %s | not measured | |\n' "$1" "$2"
		return
	fi
	awk -v c="$1" -v t="$2" -v v="$3" -v b="$4" -v l="${5:-}" 'BEGIN { r = v / b
		printf "| %s | %s | %.2f× (%+.2f ms) | %s |\n", c, t, r, (v - b) * 1000,
			(l == "" ? "report" : (r <= l + 0 ? "**holds**" : "**misses**")) }'
}

# targets prints the table of issue 16's targets, with issue 18's row for
# 500 workspaces, from this run's medians; then what is not a target.
# Reported, never asserted.
targets() {
	local floor nrun exec big kib peer p ws pnpm npmws
	floor=$(median_of "Go floor")
	nrun=$(median_of "nrun noop")
	exec=$(median_of "nrun noop (script /bin/true: execve)")
	big=$(median_of "nrun noop (1 MB package.json)")
	echo "| case | target | this run (against the floor, or as said) | verdict |"
	echo "|---|---|---|---|"
	ratio_row 'script `/bin/true` (like for like with the floor)' '≤ 1.2× the floor' "$exec" "$floor" 1.2
	ratio_row 'script `true` (no execve)' 'report' "$nrun" "$floor"
	ratio_row '1 MB package.json (1,000 scripts, 3,000 dependencies)' '≤ 1.5× the floor' "$big" "$floor" 1.5
	kib=$(mem_of "nrun --supervise")
	if [ -n "$kib" ]; then
		awk -v k="$kib" 'BEGIN { printf "| supervisor RSS (`--supervise`, app sleeping) | ≤ 5 MiB | %.1f MiB | %s |\n",
			k / 1024, (k <= 5120 ? "**holds**" : "**misses**") }'
	else
		echo '| supervisor RSS (`--supervise`, app sleeping) | ≤ 5 MiB | not measured | |'
	fi
	for peer in "bun run noop" "node --run noop" "pnpm run noop"; do
		p=$(median_of "$peer")
		if [ -z "$p" ] || [ -z "$nrun" ]; then
			printf '| `nrun noop` against `%s` | faster | not measured | |\n' "$peer"
			continue
		fi
		awk -v n="$nrun" -v p="$p" -v l="$peer" 'BEGIN {
			printf "| `nrun noop` against `%s` | faster | `%s` takes %.2f× nrun'"'"'s time | %s |\n",
				l, l, p / n, (n < p ? "**holds**" : "**misses**") }'
	done
	ws=$(median_of "nrun --workspaces noop (500 workspaces)")
	pnpm=$(median_of "pnpm -r run noop (500 workspaces)")
	npmws=$(median_of "npm run --workspaces noop (500 workspaces)")
	if [ -n "$ws" ] && [ -n "$pnpm" ]; then
		awk -v n="$ws" -v p="$pnpm" -v m="${npmws:-}" 'BEGIN { r = n / p
			printf "| `nrun --workspaces noop`, 500 workspaces (issue 18) | ≤ ½ the time of `pnpm -r run noop` | %.2f× pnpm'"'"'s (%.0f ms against %.0f ms", r, n * 1000, p * 1000
			if (m != "") printf "; `npm run --workspaces noop` %.0f ms", m * 1000
			printf ") | %s |\n", (r <= 0.5 ? "**holds**" : "**misses**") }'
	else
		echo '| `nrun --workspaces noop`, 500 workspaces (issue 18) | ≤ ½ the time of `pnpm -r run noop` | not measured | |'
	fi
	echo
	echo "The floor is bench/floor (median $(ms "${floor:-0}")); each ratio is of medians of this run."
	local deps
	deps=$(median_of "Go floor + nrun's dependencies")
	if [ -n "$deps" ] && [ -n "$exec" ] && [ -n "$floor" ]; then
		awk -v d="$deps" -v e="$exec" -v f="$floor" 'BEGIN {
			printf "Of the `/bin/true` row, %.2f× the floor (%+.2f ms) is paid before nrun'"'"'s own code runs: `Go floor + nrun'"'"'s dependencies`, whose package inits\n", d / f, (d - f) * 1000
			printf "run as nrun'"'"'s do and which does nothing else. The other %+.2f ms is nrun'"'"'s code: its size and its work (docs/performance.md).\n", (e - d) * 1000 }'
	fi
	echo
	echo "Not targets, or other issues' targets:"
	echo
	# Three commands timed one after another on a busy machine can see
	# different loads; the minimums, each command's least disturbed run,
	# are given beside the medians.
	local direct bin fallback dmin bmin fmin deep
	deep=$(median_of "nrun noop (10 dirs up)")
	if [ -n "$deep" ] && [ -n "$nrun" ]; then
		awk -v b="$deep" -v n="$nrun" 'BEGIN { printf "- 10 directories up: %+.2f ms against the package in its own directory\n", (b - n) * 1000 }'
	fi
	direct=$(median_of "npm package: its binary, run directly")
	bin=$(median_of "npm package: node_modules/.bin/nrun noop")
	fallback=$(median_of "npm package: bin/nrun (sh, for pnpm, yarn, bun)")
	dmin=$(median_of "npm package: its binary, run directly" min)
	bmin=$(median_of "npm package: node_modules/.bin/nrun noop" min)
	fmin=$(median_of "npm package: bin/nrun (sh, for pnpm, yarn, bun)" min)
	if [ -n "$direct" ] && [ -n "$bin" ]; then
		awk -v b="$bin" -v d="$direct" -v bm="$bmin" -v dm="$dmin" 'BEGIN { r = b / d; rm = bm / dm
			printf "- npm package (issue 20): `node_modules/.bin/nrun` within 1.3× of its binary run directly: %s (medians %.3f×, %+.2f ms; minimums %.3f×, %+.2f ms)\n",
				(r <= 1.3 && rm <= 1.3 ? "**holds**" : "**misses**"), r, (b - d) * 1000, rm, (bm - dm) * 1000 }'
	fi
	if [ -n "$direct" ] && [ -n "$fallback" ]; then
		awk -v b="$fallback" -v d="$direct" -v bm="$fmin" -v dm="$dmin" 'BEGIN {
			printf "  - the sh fallback that package managers linking only direct dependencies run: medians %.3f×, %+.2f ms; minimums %.3f×, %+.2f ms\n",
				b / d, (b - d) * 1000, bm / dm, (bm - dm) * 1000 }'
	fi
	scale_lines
}

# scale_lines reports each scale row of nrun against the plain start, and
# against the fastest peer that ran the same row.
scale_lines() {
	local nrun row label version json mine rest peer best best_label
	nrun=$(median_of "nrun noop")
	[ -n "$nrun" ] || return 0
	for row in "${ROWS[@]}"; do
		IFS='|' read -r label version json <<<"$row"
		case $label in "nrun noop ("* | "nrun -w"* | "nrun --workspaces"*) ;; *) continue ;; esac
		case $label in *"1 MB"* | *"10 dirs"* | *execve*) continue ;; esac
		mine=$(value median "$json") rest=${label#nrun } best= best_label=
		for peer in "node --run $rest" "bun run $rest" "pnpm run $rest" "npm run $rest" "pnpm -r run ${rest#--workspaces }"; do
			local m
			m=$(median_of "$peer")
			[ -n "$m" ] || continue
			if [ -z "$best" ] || awk -v a="$m" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$m best_label=$peer; fi
		done
		awk -v m="$mine" -v n="$nrun" -v l="$label" -v p="$best" -v pl="$best_label" 'BEGIN {
			printf "- `%s`: %.2f× the plain start (%+.2f ms)", l, m / n, (m - n) * 1000
			if (p != "") printf "; the fastest peer on the same row, `%s`, takes %.2f× as long", pl, p / m
			printf "\n" }'
	done
}

machine() {
	local cpu
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
	[ -n "$cpu" ] || cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
	printf '%s CPUs (`nproc`), %s, %s' "$(nproc)" "${cpu:-unknown CPU}" "$(uname -sr)"
}

write_results() {
	local commit size
	commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null) || commit=unknown
	size=$(wc -c <"$WORK/bin/nrun")
	{
		echo "# nrun benchmarks"
		echo
		echo "Written by \`bash bench/run.sh\`; do not edit by hand."
		echo
		echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "- machine: $(machine)"
		echo "- load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
		echo "- nrun: commit $commit (and the working tree), $(go env GOVERSION), release flags (\`CGO_ENABLED=0 -trimpath -tags urfave_cli_no_docs -ldflags \"-s -w\"\`), $(awk -v s="$size" 'BEGIN { printf "%.2f MB", s / 1e6 }') binary"
		echo "- $(hyperfine --version): \`-N --warmup $WARMUP --runs $RUNS\`, one run per command (\`--warmup 1 --runs $MONO_RUNS\` for the rows over all 500 workspaces)"
		echo
		echo "## Start time: \`<runner> noop\`, where the script noop is \`true\`"
		echo
		start_table
		echo
		echo "The Go floor is bench/floor, a static Go binary that only execve's /bin/true: the Go runtime's own start-up."
		echo "\`Go floor + nrun's dependencies\` is bench/floordeps: the same program with every package nrun imports linked in,"
		echo "so that their package inits run first, as they do before nrun's main; it does nothing else."
		echo "\`true\` is a shell builtin: sh (under npm, pnpm, yarn, node --run) and nrun run it without starting /bin/true, so"
		echo "\`nrun noop\` has no execve where the floor has one. The \`script /bin/true\` row makes nrun execve it too: that row"
		echo "is nrun's real cost of starting an app. The 1 MB package.json has 1,000 scripts with noop last, 3,000 dependencies"
		echo "and a description that fills it to 1 MB. The monorepo has 500 workspaces (\`packages/pkg-1\` … \`packages/pkg-500\`),"
		echo "listed in its package.json and, for pnpm, in pnpm-workspace.yaml; every one has the script noop."
		echo "The npm package rows run nrun as installed by \`npm install\` of the packages scripts/npm-packages.sh makes"
		echo "(noop is \`/bin/true\` there): its binary by its own path, through the \`node_modules/.bin/nrun\` symlink npm"
		echo "makes, and through the package's POSIX sh \`bin/nrun\`, which package managers that link only the bins"
		echo "of direct dependencies run."
		echo "Peers come from the npm registry (bench/run.sh installs them); npm and yarn run on the registry's node."
		if [ ${#SKIPPED[@]} -gt 0 ]; then
			echo
			printf -- '- skipped: %s\n' "${SKIPPED[@]}"
		fi
		if [ ${#NOISY[@]} -gt 0 ]; then
			echo
			echo "**Noisy run**: hyperfine warned of statistical outliers for $(printf '`%s`, ' "${NOISY[@]}" | sed 's/, $//')."
			echo "On a machine with few cores and other work running, medians move by tenths of a millisecond from run to run;"
			echo "compare rows of one run, not figures across runs, and look at the min column too."
		fi
		echo
		echo "## Resident memory of the runner while a script runs"
		echo
		echo "The script is \`sleep 30\`; after the sleep has started, VmRSS (from /proc) of every process of the tree except the sleep."
		echo
		mem_table
		echo
		echo "## Targets (issue 16, and issue 18's row for 500 workspaces)"
		echo
		targets
	} >"$RESULTS"
}

main() {
	command -v go >/dev/null || die "go is needed to build nrun"
	LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
	# The fixtures first: nrun maps a big package.json only once it has
	# gone unchanged for two seconds, which the installs and the build
	# give the 1 MB one long before it is timed.
	make_fixtures
	ensure_hyperfine
	install_peers
	# Peers first on PATH: yarn's and npm's `#!/usr/bin/env node` then get the
	# registry's node, and every runner sees the same PATH.
	export PATH="$PEERS/node_modules/.bin:$PATH"
	# No update checks (network) in the timed runs of npm and pnpm.
	export npm_config_update_notifier=false NO_UPDATE_NOTIFIER=1
	build
	mkdir -p "$WORK/json"
	rm -f "$WORK"/json/*

	local nrun=$WORK/bin/nrun
	bench /bin/true "" "$FX/small" /bin/true
	bench "Go floor" "" "$FX/small" "$WORK/bin/floor"
	bench "Go floor + nrun's dependencies" "" "$FX/small" "$WORK/bin/floordeps"
	bench "nrun noop" "" "$FX/small" "$nrun" noop
	bench "nrun noop (10 dirs up)" "" "$FX/deep/1/2/3/4/5/6/7/8/9/10" "$nrun" noop
	bench "nrun noop (1 MB package.json)" "" "$FX/big" "$nrun" noop
	bench "nrun noop (script /bin/true: execve)" "" "$FX/exec" "$nrun" noop
	if command -v npm >/dev/null && install_npm_package; then
		local pkgbin
		pkgbin=$(readlink -f "$FX/npm/node_modules/.bin/nrun")
		bench "npm package: its binary, run directly" "" "$FX/npm" "$pkgbin" noop
		bench "npm package: node_modules/.bin/nrun noop" "" "$FX/npm" node_modules/.bin/nrun noop
		bench "npm package: bin/nrun (sh, for pnpm, yarn, bun)" "" "$FX/npm" node_modules/@nrunjs/nrun/bin/nrun noop
	else
		skip "the npm package rows (npm missing, or the packages did not build or install)"
	fi
	peer "node --run noop" node --run noop
	peer "bun run noop" bun run noop
	peer "pnpm run noop" pnpm run noop
	peer "npm run noop" npm run noop
	peer "yarn run noop" yarn run noop

	# Scale: one dimension grown at a time, nrun beside the peers that run
	# the same command there (npm's -w is nrun's).
	local fx label
	for fx in "huge|10 MB package.json" "many|1,000 scripts" "deep50|50 dirs up"; do
		label=${fx#*|} fx=${fx%%|*}
		[ "$fx" = deep50 ] && fx=$DEEP50 || fx=$FX/$fx
		bench "nrun noop ($label)" "" "$fx" "$nrun" noop
		peer_in "$fx" "node --run noop ($label)" node --run noop
		peer_in "$fx" "bun run noop ($label)" bun run noop
		peer_in "$fx" "pnpm run noop ($label)" pnpm run noop
		peer_in "$fx" "npm run noop ($label)" npm run noop
	done
	bench "nrun -w NAME noop (500 workspaces)" "" "$FX/mono" "$nrun" -w pkg-250 noop
	bench "nrun -w PATH noop (500 workspaces)" "" "$FX/mono" "$nrun" -w packages/pkg-250 noop
	peer_in "$FX/mono" "npm run -w NAME noop (500 workspaces)" npm run -w pkg-250 noop
	peer_in "$FX/mono" "npm run -w PATH noop (500 workspaces)" npm run -w packages/pkg-250 noop
	# Every workspace: seconds per run, so MONO_RUNS runs (issue 18's row).
	BENCH_RUNS=$MONO_RUNS BENCH_WARMUP=1 bench "nrun --workspaces noop (500 workspaces)" "" "$FX/mono" "$nrun" --workspaces noop
	BENCH_RUNS=$MONO_RUNS BENCH_WARMUP=1 peer_in "$FX/mono" "pnpm -r run noop (500 workspaces)" pnpm -r run noop
	BENCH_RUNS=$MONO_RUNS BENCH_WARMUP=1 peer_in "$FX/mono" "npm run --workspaces noop (500 workspaces)" npm run --workspaces noop

	if [ -d /proc/self/task ]; then
		say "resident memory while \`sleep 30\` runs"
		measure_rss "" "nrun --supervise" "$nrun" --supervise sleep
		measure_rss "" "nrun (exec mode, the default)" "$nrun" sleep
		measure_rss "node --run noop" "node --run" node --run sleep
		measure_rss "bun run noop" "bun run" bun run sleep
		measure_rss "pnpm run noop" "pnpm run" pnpm run sleep
		measure_rss "npm run noop" "npm run" npm run sleep
		measure_rss "yarn run noop" "yarn run" yarn run sleep
	else
		skip "the memory table (no /proc)"
	fi

	write_results
	echo
	cat "$RESULTS"
	echo
	echo "written to $RESULTS" >&2
	if [ ${#FAILED[@]} -gt 0 ]; then
		printf 'bench: could not run: %s\n' "${FAILED[@]}" >&2
		exit 1
	fi
}

main "$@"
