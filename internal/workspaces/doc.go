// Package workspaces finds, orders and selects the workspaces of a
// monorepo as npm 11 does.
//
// The reference is npm's own code: @npmcli/map-workspaces (the list and its
// order), lib/utils/get-workspaces.js (-w selection) and @npmcli/config's
// loadLocalPrefix (finding the root from inside a workspace). The tests
// compare each with the machine's npm.
//
// # The list
//
// The patterns come from the root package.json's "workspaces" (an array, or
// yarn's object with a "packages" array) or, when that is absent, from the
// "packages" list of pnpm-workspace.yaml beside it (read by
// internal/pnpmyaml). Then, as map-workspaces does:
//
//   - Each pattern loses its leading "!"s (an odd number negates it) and a
//     leading "./" or "/". A positive pattern cancels the negations before it
//     that match it as a string; each remaining negation drops the positive
//     patterns it matches and hides the directories it matches.
//   - The directories the positive patterns match (only directories; `*` and
//     `**` skip dot names, a leading `**` enters no symlink and a later one
//     at most one, anything under a node_modules is ignored: the glob walk
//     of internal/minimatch) are sorted with localeCompare(…, "en")
//     (internal/collate), then grouped by the first pattern that matches
//     them (partially: "packages" belongs to "packages/*"), in the order the
//     patterns are written.
//   - A directory without package.json is skipped; a name-less package is
//     known by its folder name; two workspaces with one name are an error.
//
// Differences, all in corners: numeric brace ranges ({1..3}), extglobs
// (+(a|b)) and POSIX classes ([[:alpha:]]) are not supported; macOS and
// Windows match case-sensitively (glob does not there); a "name" that is not a
// string counts as absent; sorting is exact for ASCII names, and other
// characters sort after ASCII by code point (ICU interleaves accented
// letters with their base letters). pnpm's own rules for its file (which
// directories its globs reach, the root always being a project) are not
// followed: nrun runs workspaces as npm would.
//
// # The root and the selection
//
// FindWorkspaceRoot walks up from a package to the nearest ancestor whose
// list holds it, as npm does before `npm run` in a workspace directory.
// SelectWorkspaces resolves -w arguments: a name, a path, or a parent path
// that selects every workspace one level below it. SelectPaths does the same
// for arguments that are all paths (IsPath) while reading only the selected
// workspaces' package.json.
package workspaces
