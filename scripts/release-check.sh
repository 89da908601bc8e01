#!/usr/bin/env bash
# release-check: what .goreleaser.yaml would build, checked without a release.
#
#   scripts/release-check.sh             # check config, build all targets, inspect
#   scripts/release-check.sh --snapshot  # also `goreleaser release --snapshot` (needs goreleaser)
#                                        # and the npm packages from its dist
#
# 1. `goreleaser check` when goreleaser is on PATH (skipped visibly otherwise).
# 2. The yaml still says what this script builds with (flags, targets, files).
# 3. Every target builds with exactly the release flags:
#      CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs \
#        -ldflags "-s -w -X main.version=ci -X main.commit=<short sha>"
# 4. The linux/amd64 binary prints `nrun ci (commit <sha>)` for --version,
#    was built with CGO_ENABLED=0 and -trimpath (go version -m), and is static:
#    no PT_INTERP program header (readelf, or the ELF read with od; set
#    RELEASE_CHECK_NO_READELF=1 to use od even where readelf exists).
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot=
for arg in "$@"; do
  case $arg in
    --snapshot) snapshot=1 ;;
    *) echo "usage: $0 [--snapshot]" >&2; exit 2 ;;
  esac
done

targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64 freebsd/amd64 freebsd/arm64)
sha=$(git rev-parse --short HEAD 2>/dev/null || echo 0000000)
ldflags="-s -w -X main.version=ci -X main.commit=$sha"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "release-check: $*" >&2; exit 1; }

echo "== goreleaser check"
if command -v goreleaser >/dev/null; then
  goreleaser check
else
  echo "SKIP: goreleaser is not on PATH (go install github.com/goreleaser/goreleaser/v2@<version>)"
fi

echo "== .goreleaser.yaml matches this script"
y=.goreleaser.yaml
grep -qx '    main: ./cmd/nrun' $y || fail "$y: main is not ./cmd/nrun"
grep -qx '      - CGO_ENABLED=0' $y || fail "$y: CGO_ENABLED=0 missing"
grep -qx '      - -trimpath' $y || fail "$y: -trimpath missing"
grep -qx '      - urfave_cli_no_docs' $y || fail "$y: tag urfave_cli_no_docs missing"
grep -qxF '      - -s -w -X main.version={{.Version}} -X main.commit={{.Commit}}' $y ||
  fail "$y: ldflags differ from '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}}'"
for os in linux darwin windows freebsd; do grep -qx "      - $os" $y || fail "$y: goos $os missing"; done
for arch in amd64 arm64; do grep -qx "      - $arch" $y || fail "$y: goarch $arch missing"; done
for f in README.md LICENSE CHANGELOG.md docs/nrun.1; do
  grep -qx "      - $f" $y || fail "$y: archives do not include $f"
  [[ -f $f ]] || fail "$f does not exist"
done
echo "ok"

echo "== build every target: CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags \"$ldflags\""
for t in "${targets[@]}"; do
  os=${t%/*} arch=${t#*/} ext=
  [[ $os == windows ]] && ext=.exe
  bin=$out/nrun_${os}_${arch}$ext
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -tags urfave_cli_no_docs -ldflags "$ldflags" -o "$bin" ./cmd/nrun
  printf -- '-- %-14s %8d bytes\n' "$t" "$(wc -c <"$bin")"
done

echo "== linux/amd64 binary"
bin=$out/nrun_linux_amd64
info=$(go version -m "$bin")
grep -q $'\tbuild\tCGO_ENABLED=0$' <<<"$info" || fail "not built with CGO_ENABLED=0:"$'\n'"$info"
grep -q $'\tbuild\t-trimpath=true$' <<<"$info" || fail "not built with -trimpath:"$'\n'"$info"
grep -q $'\tbuild\t-tags=urfave_cli_no_docs$' <<<"$info" || fail "not built with -tags urfave_cli_no_docs:"$'\n'"$info"
# (-trimpath keeps -ldflags out of the build info: --version checks them below.)
echo "go version -m: CGO_ENABLED=0, -trimpath=true"

# Static: an ELF executable with no PT_INTERP (dynamic loader) header.
if command -v readelf >/dev/null && [[ -z ${RELEASE_CHECK_NO_READELF:-} ]]; then
  headers=$(readelf -lW "$bin")
  grep -q 'Elf file type is EXEC\|Elf file type is DYN' <<<"$headers" || fail "readelf: not an executable"
  if grep -q 'INTERP' <<<"$headers"; then fail "dynamically linked (PT_INTERP present)"; fi
  dynamic=$(readelf -dW "$bin" 2>/dev/null || true)
  if grep -q NEEDED <<<"$dynamic"; then fail "needs shared libraries"; fi
  echo "readelf: no PT_INTERP, no NEEDED: statically linked"
else
  # ELF64 little-endian: e_phoff at 32 (8 bytes), e_phentsize at 54, e_phnum at 56;
  # each program header starts with p_type (4 bytes); PT_INTERP is 3.
  u() { od -An -t u"$2" -j "$1" -N "$2" "$bin" | tr -d ' '; }
  [[ $(head -c4 "$bin" | od -An -c | tr -d ' ') == 177ELF ]] || fail "not an ELF file"
  phoff=$(u 32 8) phentsize=$(u 54 2) phnum=$(u 56 2)
  for ((i = 0; i < phnum; i++)); do
    [[ $(u $((phoff + i * phentsize)) 4) != 3 ]] || fail "dynamically linked (PT_INTERP present)"
  done
  echo "ELF program headers: no PT_INTERP: statically linked"
fi

host=$(go env GOHOSTOS)/$(go env GOHOSTARCH)
runbin=$out/nrun_${host/\//_}
[[ $host == windows/* ]] && runbin+=.exe
want="nrun ci (commit $sha)"
if [[ -x $runbin ]]; then
  got=$("$runbin" --version)
  [[ $got == "$want" ]] || fail "$host --version printed '$got', want '$want'"
  echo "$host --version: $got"
else
  echo "SKIP: the host ($host) is not a release target; --version not run"
fi

if [[ -n $snapshot ]]; then
  echo "== goreleaser release --snapshot (archives and checksums, nothing published)"
  command -v goreleaser >/dev/null || fail "--snapshot needs goreleaser on PATH"
  # goreleaser reads the commit from git; without a remote it gives up and
  # links "none" (a snapshot ignores the error).
  [[ -n $(git remote) ]] || echo "note: no git remote: the snapshot's commit will read 'none'"
  cfg=$out/goreleaser.yaml
  { cat .goreleaser.yaml; echo "dist: $out/dist"; } >"$cfg"
  goreleaser release --snapshot --clean --config "$cfg"
  archive=$(ls "$out"/dist/nrun_*_linux_amd64.tar.gz)
  contents=$(tar tzf "$archive")
  for f in nrun README.md LICENSE CHANGELOG.md docs/nrun.1; do
    grep -qx "$f" <<<"$contents" || fail "$archive lacks $f"
  done
  (cd "$out/dist" && sha256sum --quiet -c checksums.txt) || fail "checksums.txt does not match"
  echo "$(basename "$archive"): nrun README.md LICENSE CHANGELOG.md docs/nrun.1; checksums ok"
  "$out"/dist/nrun_linux_amd64*/nrun --version
  if command -v npm >/dev/null; then
    # The npm packages from the snapshot's binaries, as the release's
    # publisher makes them (without publishing).
    bash scripts/npm-packages.sh --version 0.0.0-snapshot --from "$out/dist" "$out/npm" >/dev/null
    n=$(ls "$out"/npm/*.tgz | wc -l)
    [[ $n == 9 ]] || fail "scripts/npm-packages.sh --from dist made $n packages, want 9"
    echo "npm packages from dist: $n"
  else
    echo "SKIP: npm is not on PATH; the npm packages were not made from the snapshot"
  fi
fi
echo "release-check: ok"
