// Package quote writes arguments into command lines for the two shells a
// script line may go to, so that each argument arrives byte for byte and
// none is ever read as shell syntax:
//
//   - POSIX sh: a word of characters that are never special stays bare,
//     anything else is single-quoted, the one form in which no byte is
//     special (a quote inside becomes the four characters quote, backslash,
//     quote, quote).
//   - cmd.exe, as npm quotes an extra argument for `%ComSpec% /d /s /c`:
//     first for the program, with the rules CommandLineToArgvW and the C
//     runtime reverse, then with a ^ before each character cmd.exe acts on
//     ( !%^&()<>|"), doubled when the line's program is a batch file,
//     which cmd reads once more. A line break cannot pass through cmd.exe
//     at all, whatever the quoting: CmdSafe tells such an argument.
//
// The planner plans a line with its extra arguments kept apart; the runner
// quotes them here at the last step, for the shell that will read them.
package quote
