// Package envfile reads environment files (dotenv files) the way
// `node --env-file` reads them, for nrun's --env-file and
// --env-file-if-exists.
//
// The rules are those of Node 20 (20.20), the Node the tests compare
// with. Node's reader is not a line grammar but a scan over the whole
// file, and its corners follow from that:
//
//   - Every carriage return is removed first, wherever it is, so CRLF files
//     read as LF files (and a CR inside a quoted value disappears too).
//     Spaces (only U+0020, not tabs) are trimmed from both ends of the file.
//   - Where the scan stands at a newline or a "#", that line is skipped
//     (blank lines, comment lines). Leading spaces are not skipped there, so
//     an indented "# x" is no comment: it begins a name.
//   - The name runs to the next "=", across newlines if need be: a line
//     without "=" becomes the front of the next line's name
//     ("junk\nA=1" sets "junk\nA"). With no "=" left, reading stops. Spaces
//     around the name are trimmed; tabs are kept. An empty name ("=x")
//     ends the file's reading there, but a name of spaces alone on its
//     line ("  =x") becomes the newline before it, a slip of Node's
//     trimming. One leading "export " is dropped
//     ("export  A" leaves " A"). Names are otherwise taken as they are.
//   - Spaces after "=" are skipped. Then:
//     a value opening with ", ' or ` runs to the next same quote, across
//     lines (a multi-line value), and the rest of the line after it is
//     ignored; in double quotes each \n becomes a newline (no other escape
//     exists, a backslash is otherwise literal). A quote that is never
//     closed is an ordinary character: the value is the rest of the line,
//     quote included. At the very end of the file an unclosed quote sets
//     nothing and its text is read again as a name.
//     Any other value runs to the end of the line, is cut at its first
//     "#" (an inline comment, with or without a space before it) and
//     trimmed of spaces; it may be empty.
//   - A name given twice keeps its last value.
//
// Node 22 and 24 changed some of this (from 2025): a line without "=" is
// skipped instead of joined to the next name, an "=" line with an empty
// name is skipped instead of ending the reading, tabs are trimmed like
// spaces, spaces after "export " are trimmed, and a trailing unclosed
// quote is taken as the value. Files that avoid those corners read the
// same under every Node since 20.
//
// Node never rejects a file. It does mangle what an environment cannot
// hold: a NUL byte cuts a name or value short, and bytes that are not
// UTF-8 become U+FFFD. nrun reports those instead, with the file and
// line, since the result would not be what the file says.
//
// Several files apply in order, later files winning over earlier ones,
// and a variable the process already has wins over every file (an empty
// value included), as with Node. Merge and Apply do that; Load reads the
// files.
package envfile
