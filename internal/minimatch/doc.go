// Package minimatch matches slash-separated paths against glob patterns the
// way the JavaScript minimatch library does for the patterns npm meets, and
// walks a directory tree for the directories such patterns name, the way
// npm's glob call for workspaces does.
//
// # Matching
//
// A pattern is split at slashes (runs of slashes count as one) and each
// part matched against the part of the path at the same place:
//
//   - "*" matches any run of characters within one part, "?" one
//     character, "[a-z]" a class ("[!a-z]" and "[^a-z]" negate it); an
//     unclosed "[" is an ordinary character.
//   - A part that is exactly "**" matches any number of parts, none
//     included.
//   - Wildcards do not match a part that starts with "." unless the pattern
//     part does too, or Options.Dot is set; "**" never swallows "." or "..".
//   - "{a,b}" alternatives are expanded first, nested ones too (see
//     ExpandBraces); a group without a comma ("{a}") is literal.
//   - A leading "!" (an odd number of them) negates the whole pattern,
//     unless Options.NoNegate; a leading "#" makes a comment that matches
//     nothing; "" matches only "".
//   - Backslashes are taken as slashes before anything else: npm turns
//     Windows paths into patterns that way, so no character can be escaped.
//   - "x/.." disappears when x is a plain part, and adjacent "**" parts are
//     one, as minimatch's default optimisation does; "./" stays and must be
//     matched literally.
//   - With Options.Partial, a path matches when it is a leading part of a
//     path the pattern could match: "packages" matches "packages/*". npm
//     uses it to tell which pattern a directory belongs to.
//
// Not supported, because npm's own workspace patterns never need them and
// each costs code on nrun's start-up path: numeric brace ranges ({1..3}),
// extglobs (+(a|b), @(x)), POSIX classes ([[:alpha:]]) and case-insensitive
// matching (minimatch matches case-sensitively everywhere unless asked; the
// glob walk on macOS and Windows, whose file systems usually ignore case,
// differs from npm's there).
//
// The tests hold minimatch 10's answers and compare GlobDirs, through the
// workspace list, with npm's own code.
//
// # Walking
//
// GlobDirs is glob(pattern + "/", {ignore: ["**/node_modules/**", ...]}) as
// npm calls it to find workspaces: it returns directories only, never one
// inside a node_modules, and reads only the directories a pattern can reach,
// so a pattern like "packages/*" costs one directory read however large the
// tree below is. As in glob:
//
//   - "*" and "**" follow a symlink to a directory; a "**" that starts the
//     pattern enters no symlink at all, and a later "**" may end at a
//     symlinked directory (the rest of the pattern then applies inside it)
//     but does not go on below it. This keeps symlink loops finite.
//   - A directory matched by an ignore pattern is dropped, and one matched
//     by an ignore pattern ending in "/**" is not entered either.
//   - Unreadable directories are empty.
package minimatch
