// Package pnpmyaml reads the "packages" list of a pnpm-workspace.yaml: the
// workspace patterns of a pnpm monorepo, which npm-style tools read when
// package.json declares no workspaces.
//
// It is not a YAML library. It reads the one list nrun needs, reads it the
// way YAML 1.2 and pnpm do, and refuses with a one-line error naming the
// file and the line whatever it does not read correctly, rather than guess:
// a wrong guess runs scripts in the wrong directories.
//
// # What is read
//
//   - The top level is a block mapping whose keys start in the first
//     column, plain or quoted ('packages', "pack\x61ges"); a "---" first
//     line, "%" directives before it and a "..." end are allowed, comments
//     and blank lines anywhere, a byte order mark and "\r\n" or "\r" line
//     ends too.
//   - "packages" is a block sequence ("- item" lines, indented or in the
//     first column) or a flow sequence ("[a, 'b']", over several lines if
//     need be, a trailing comma allowed). Without a value, or with ~ or
//     null, it lists nothing.
//   - An item is a plain, 'single-quoted' or "double-quoted" scalar, on one
//     line or several. Lines are folded as YAML folds them: a line break is
//     a space, each blank line between two lines a "\n", white space around
//     the break dropped. In single quotes a quote is written twice. In
//     double quotes every YAML 1.2 escape is decoded: \0 \a \b \t \<tab> \n
//     \v \f \r \e \<space> \" \/ \\ \N \_ \L \P \xXX \uXXXX \UXXXXXXXX, and a
//     "\" at the end of a line joins it to the next without a space.
//   - A plain item is its text, as pnpm 12 takes it: "123", "true" and
//     "0x1F" are the strings as written (YAML's core schema would make
//     them a number and a boolean, which pnpm 10 refuses).
//   - The other keys (catalog, onlyBuiltDependencies…) are passed over
//     without being read: their mistakes are pnpm's to report.
//
// # What is refused, with the reason
//
//   - An empty or null item ("-", "- ~"): pnpm refuses it too.
//   - Block scalars (| and >), anchors (&), aliases (*) and tags (!),
//     complex keys ("? "), a flow mapping at the top level, lists or
//     mappings as items, and a second document: none is needed to write a
//     list of patterns, and each would take more code than this whole
//     package to read correctly. A plain item cannot start with "*", "!",
//     "@", "`", "%", "&", "|" or ">" in YAML at all; the message says to
//     quote it ('*/x', '!packages/private').
//   - A tab used for indentation (YAML forbids it; pnpm refuses it); a tab
//     after the indentation, inside a line or in a blank line, is fine.
//   - Lines that YAML reads otherwise than they look: an item followed by a
//     more indented line after a comment, a quoted item whose next line is
//     not indented past its "-", a line indented between two levels, an
//     unknown escape, an unterminated quote or "[", "packages" given twice
//     or given a string.
//
// The tests compare every reading with the machine's pnpm (pnpm ls -r on a
// tree with a directory per expected item, installed from the npm registry
// into the user's cache directory when missing) and check that pnpm refuses
// or reads differently each construct that is refused here.
//
// # Why not a YAML library
//
// goccy/go-yaml (v1.19.2, the usual choice in Go) was measured in nrun
// before this package was written. It would add 1.13 MB to the binary
// (+15%; +0.77 MB stripped), four packages whose initializers take about
// 0.04 ms and 4.7 KB at every start of nrun, whether or not a workspace is
// ever read, and a dependency outside the small set nrun allows itself. It
// also reads pnpm-workspace.yaml differently from pnpm: a file starting
// with a byte order mark yields no packages at all, "- !ab" becomes a
// nested list, "a\ " at the end of a double-quoted line loses its escaped
// space, "- 0x1F" becomes 31, and null items and second documents are
// accepted where pnpm stops. A reader of the one list, checked against
// pnpm, costs nothing at start-up and is exact where it reads at all.
package pnpmyaml
