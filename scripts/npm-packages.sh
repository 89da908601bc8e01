#!/usr/bin/env bash
# npm-packages: nrun's npm packages as .tgz files (npm pack), from release
# binaries.
#
#   scripts/npm-packages.sh [options] OUTDIR [OS/ARCH ...]
#
#   --version V   the packages' version (default: the tag at HEAD without
#                 its "v", else 0.0.0-dev)
#   --from DIST   take the binaries from goreleaser's dist directory
#                 (DIST/nrun_<os>_<arch>*/nrun) instead of building them
#   --publish     npm publish every package: the platform packages first, so
#                 that the main package never names one that is missing
#   OS/ARCH       build only these targets (Go's names: linux/amd64 ...);
#                 default: every release target
#
# Without --from, every binary is built as .goreleaser.yaml builds it:
#   CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs \
#     -ldflags "-s -w -X main.version=V -X main.commit=<sha>"
#
# The packages:
#   @nrunjs/bin-<os>-<cpu>  one per target: the static binary, with os and cpu
#                           set so that npm installs only the one that runs
#                           here, and a bin entry naming the binary itself
#   @nrunjs/nrun            the one users install: every platform package as
#                           an optional dependency, the man page, and
#                           bin/nrun, a POSIX sh fallback for package managers
#                           that do not link the platform package's bin
# npm links the bin of every package in the tree onto node_modules/.bin, the
# first claim of a name winning in path order; "bin-*" sorts before "nrun",
# so node_modules/.bin/nrun is a symlink to the binary itself: no node, no
# shell, nothing between the caller and nrun. No install script is needed
# or shipped.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 [--version V] [--from DIST] [--publish] OUTDIR [OS/ARCH ...]" >&2; exit 2; }
fail() { echo "npm-packages: $*" >&2; exit 1; }

version= from= publish= out=
targets=()
while (($#)); do
  case $1 in
    --version) (($# >= 2)) || usage; version=$2; shift 2 ;;
    --from) (($# >= 2)) || usage; from=$2; shift 2 ;;
    --publish) publish=1; shift ;;
    -*) usage ;;
    *) if [[ -z $out ]]; then out=$1; else targets+=("$1"); fi; shift ;;
  esac
done
[[ -n $out ]] || usage
# Paths are the caller's, not the repository's.
[[ $out == /* ]] || out=$caller/$out
[[ -z $from || $from == /* ]] || from=$caller/$from
((${#targets[@]})) || targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64 freebsd/amd64 freebsd/arm64)
if [[ -z $version ]]; then
  tag=$(git describe --tags --exact-match 2>/dev/null || true)
  version=${tag#v}
  version=${version:-0.0.0-dev}
fi
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] || fail "version '$version' is not semver"
sha=$(git rev-parse --short HEAD 2>/dev/null || echo 0000000)
command -v npm >/dev/null || fail "npm is needed (npm pack)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Node's names for Go's: process.platform and process.arch.
node_os() { case $1 in windows) echo win32 ;; *) echo "$1" ;; esac; }
node_cpu() { case $1 in amd64) echo x64 ;; *) echo "$1" ;; esac; }

repository='"repository": {"type": "git", "url": "git+https://github.com/nrunjs/nrun.git"}'
platform_pkgs=()
for t in "${targets[@]}"; do
  os=${t%/*} arch=${t#*/}
  [[ $os =~ ^(linux|darwin|windows|freebsd)$ && $arch =~ ^(amd64|arm64)$ ]] || fail "not a release target: $t"
  exe=nrun
  [[ $os == windows ]] && exe=nrun.exe
  name=bin-$(node_os "$os")-$(node_cpu "$arch")
  dir=$stage/$name
  mkdir -p "$dir"
  if [[ -n $from ]]; then
    # goreleaser names its build directories nrun_<os>_<arch>_<variant>.
    bin=$(compgen -G "$from/nrun_${os}_${arch}*/$exe" | head -n 1) || fail "no $exe for $t under $from"
    cp "$bin" "$dir/$exe"
  else
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -tags urfave_cli_no_docs \
      -ldflags "-s -w -X main.version=$version -X main.commit=$sha" -o "$dir/$exe" ./cmd/nrun
  fi
  chmod 755 "$dir/$exe"
  cp LICENSE "$dir/"
  cat >"$dir/README.md" <<EOF
# @nrunjs/$name

The nrun binary for $(node_os "$os") $(node_cpu "$arch"). Install [@nrunjs/nrun](https://www.npmjs.com/package/@nrunjs/nrun) instead:
it depends on this package on the machines it is for.
EOF
  cat >"$dir/package.json" <<EOF
{
  "name": "@nrunjs/$name",
  "version": "$version",
  "description": "The nrun binary for $(node_os "$os") $(node_cpu "$arch")",
  "license": "MIT",
  $repository,
  "os": ["$(node_os "$os")"],
  "cpu": ["$(node_cpu "$arch")"],
  "bin": {"nrun": "$exe"},
  "files": ["$exe"],
  "preferUnplugged": true
}
EOF
  platform_pkgs+=("$name")
done

main=$stage/nrun
mkdir -p "$main/bin" "$main/man"
cp scripts/npm/nrun.sh "$main/bin/nrun"
chmod 755 "$main/bin/nrun"
cp docs/nrun.1 "$main/man/nrun.1"
cp LICENSE README.md "$main/"
optional=
for name in "${platform_pkgs[@]}"; do optional+="${optional:+,}"$'\n'"    \"@nrunjs/$name\": \"$version\""; done
cat >"$main/package.json" <<EOF
{
  "name": "@nrunjs/nrun",
  "version": "$version",
  "description": "Run package.json scripts without a wrapper process",
  "license": "MIT",
  $repository,
  "homepage": "https://github.com/nrunjs/nrun#readme",
  "keywords": ["npm", "run", "scripts", "package.json", "exec", "init", "docker", "signals"],
  "bin": {"nrun": "bin/nrun"},
  "man": ["./man/nrun.1"],
  "files": ["bin/nrun", "man/nrun.1"],
  "optionalDependencies": {$optional
  }
}
EOF

tarballs=()
for name in "${platform_pkgs[@]}" nrun; do
  tgz=$(cd "$out" && npm pack --silent --pack-destination "$out" "$stage/$name" | tail -n 1)
  tarballs+=("$out/$tgz")
  echo "$out/$tgz"
done

if [[ -n $publish ]]; then
  # npm reads the token from its own configuration (npm login, or an
  # .npmrc written by CI from a secret); nothing here holds one.
  # A pre-release (1.2.0-rc.1) must not become what `npm install` picks.
  tag=latest
  [[ $version == *-* ]] && tag=next
  for tgz in "${tarballs[@]}"; do
    npm publish --access public --tag "$tag" "$tgz"
  done
fi
