// Package npmconfig reads an npm command line the way npm 11 reads it, for
// the tools that call nrun back as npm (through $npm_execpath) with npm's
// own flags.
//
// npm parses every argument before "--" with nopt against the table of its
// settings: a known flag takes a value of its type (or is dropped as
// invalid), a shorthand stands for one or more flags (-s is
// --loglevel=silent, -ws is --workspaces), an unambiguous prefix of a
// setting's name stands for it (--if-pres), and an unknown flag is kept as
// a setting of its own. What is left is positional: for `npm run`, the
// script's name and its arguments, wherever they stand among the flags.
// npm then exports every setting given on the command line that differs
// from its default as npm_config_<name> to the scripts it runs.
//
// Parse does the same from table.go, which gen.js generates from the
// installed npm; the tests compare the table with the machine's npm and
// the result with what `npm run` gives a script. Defaults that npm
// computes from its machine (the cache directory, $EDITOR, NO_COLOR) are
// not in the table: such a setting given on nrun's command line is
// always exported.
package npmconfig

//go:generate sh -c "node gen.js > table.go"
