#!/bin/sh
# bin/nrun of the @nrunjs/nrun package.
#
# A project's npm does not run this file: it links the bin of every package
# it installs, so node_modules/.bin/nrun becomes a symlink straight to the
# binary in the platform package (@nrunjs/bin-<os>-<cpu>), whose name sorts
# before this package's and so claims the name first. This file is linked
# where that does not happen: by package managers that link only the bins of
# direct dependencies (pnpm, yarn, bun), by a global npm install, and in an
# npm tree that nests the platform package.
#
# It finds the platform package where Node's resolution would and execs its
# binary: the app keeps the PID of whoever ran it, and no node runs. Only
# builtins are used on the common path (readlink only when started through a
# symlink), since every fork here is paid on every start.

# npm's .bin/nrun is a symlink to this file; the search starts from where
# the file really is, with directory links resolved too (pnpm links each
# package directory into its store). cd there and back, rather than in a
# subshell, to spare a fork.
self=$0
# A relative path gets ./ so that ${self%/*} is a directory and cd does not
# search CDPATH.
case $self in
/*) ;;
*) self=./$self ;;
esac
if [ -L "$self" ]; then
	# Where npm puts the link (node_modules/.bin, a global prefix's bin), the
	# file is found by comparing, without running readlink.
	for guess in "${self%/*}/../@nrunjs/nrun/bin/nrun" "${self%/*}/../lib/node_modules/@nrunjs/nrun/bin/nrun"; do
		if [ "$self" -ef "$guess" ]; then
			self=$guess
			break
		fi
	done
fi
while [ -L "$self" ]; do
	link=$(readlink "$self")
	case $link in
	/*) self=$link ;;
	*) self=${self%/*}/$link ;;
	esac
done
here=$PWD
cd -P -- "${self%/*}/.." || exit 127
dir=$PWD
cd -- "$here" || exit 127

# The platform package, looked for as Node looks for a dependency: in this
# package's node_modules, then in that of every directory above it. Package
# managers install only the platform package whose os and cpu match, so the
# first directory holding one decides without asking uname; uname settles
# it only where several are installed.
d=$dir
while :; do
	found=
	for bin in "$d"/node_modules/@nrunjs/bin-*/nrun "$d"/node_modules/@nrunjs/bin-*/nrun.exe; do
		[ -f "$bin" ] && found=$found${found:+ }$bin
	done
	case $found in
	'') ;;
	*' '*)
		case $(uname -sm) in
		'Linux x86_64') p=linux-x64 ;;
		'Linux aarch64' | 'Linux arm64') p=linux-arm64 ;;
		'Darwin x86_64') p=darwin-x64 ;;
		'Darwin arm64') p=darwin-arm64 ;;
		'FreeBSD amd64' | 'FreeBSD x86_64') p=freebsd-x64 ;;
		'FreeBSD arm64' | 'FreeBSD aarch64') p=freebsd-arm64 ;;
		*) p=unknown ;;
		esac
		bin=$d/node_modules/@nrunjs/bin-$p/nrun
		if [ -f "$bin" ]; then
			exec "$bin" "$@"
		fi
		echo "nrun: none of the nrun binaries installed under $d/node_modules/@nrunjs is for $(uname -sm)" >&2
		exit 127
		;;
	*) exec "$found" "$@" ;;
	esac
	[ -n "$d" ] || break
	d=${d%/*}
done
echo "nrun: no @nrunjs/bin-<os>-<cpu> package is installed for $dir (were optional dependencies omitted? npm install --include=optional)" >&2
exit 127
