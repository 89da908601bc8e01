// Package runner runs a plan: scripts as and-or lists of commands, in the
// environment the planner built for each. It starts, waits, forwards
// signals and tears down; it decides nothing about what a line means.
//
// # Exec, supervise, init
//
// On Unix the plan's last program replaces nrun (execve), so that the app
// has nrun's PID, file descriptors and signal state, as if it had been
// started directly: systemd's MainPID, sd_notify, a container's PID 1 and
// exit statuses then work unchanged. Before that execve nrun installs no
// signal handler and opens no file. Every other program runs as a child
// nrun waits for, and so does the last one in supervise mode (asked for, a
// post hook, a shell line sh cannot exec) and in init mode (nrun is PID
// 1): the kernel gives PID 1 no default action for SIGTERM, and orphans
// are handed to it, so nrun must handle the one and reap the others.
// Windows has no execve: nrun is always the parent there.
//
// # Signals
//
// A child leads a process group of its own and gets the terminal's
// foreground when nrun has it, so that Ctrl-C from the terminal reaches the
// app once and not twice (the terminal signals the foreground group). Every
// catchable signal nrun receives is forwarded to the child's group once;
// SIGCHLD and SIGURG never are (the first makes nrun reap, the runtime
// sends the second constantly). Ctrl-Z stops the child, then nrun stops
// itself so that the shell sees the job stop. A signal nrun's parent
// started it with ignored (a background job of a non-interactive shell
// ignores SIGINT) is still caught and forwarded while the child starts with
// the dispositions nrun inherited, and decides for itself, as under npm.
// The runtime gives a child the default action for every signal its parent
// catches, so such a signal is caught only once the child has started; the
// ignores are recorded at start, because signal.Ignored forgets them after
// the first Notify. Parallel runs, whose jobs start at different times,
// keep them ignored. A child that dies of a signal makes nrun die of it too
// (re-raised after restoring the default action), so that shells see the
// same death; where that cannot be (PID 1, core-dumping signals) the exit
// status is 128+N.
//
// # Teardown
//
// When the plan ends, whatever is left of the tree gets SIGTERM, and
// SIGKILL after the grace period, and is reaped. On Linux nrun is a child
// subreaper: daemons that called setsid or double-forked are handed to
// nrun instead of PID 1 and are found through /proc's children lists, so
// the teardown reaches them too. When nrun's own parent dies, Linux sends
// it SIGTERM (asked for before main, on the main thread, because the
// request belongs to the thread that made it), and the teardown follows.
// With a PID namespace the app runs under a second nrun that is the
// namespace's PID 1, and the kernel ends every process of it when that
// nrun dies, even of SIGKILL. On Windows nrun puts itself in a Job Object
// that kills every process in it when its last handle closes, before it
// starts anything, so that no grandchild can escape between a start and
// an assignment; at the end of a run it ends every other process of the
// job and waits until Windows lists none.
//
// Teardown returns only once nothing of the tree is left: not a live
// process, and not a zombie either, a multi-threaded one included, which
// cannot be reaped before its last thread has exited. A loop around Run
// (restart, watch) then starts each run on a clean slate: no orphan of
// the run before, and its ports free. Options.Cancel ends a run from
// outside, Options.Background keeps the terminal with nrun so that Ctrl-C
// reaches the loop, and Stopped tells the loop that nrun was told to stop.
//
// # One waiter, several programs
//
// A process has one set of children and one wait4(-1): a second waiter
// would take statuses meant for the first, and a subreaper must reap
// orphans nobody else knows of. So every program nrun supervises starts
// through the reaper (reaper_unix.go), which registers it before it can
// be collected and hands each status to the supervisor waiting for that
// program; orphans it simply reaps. It runs only while a program is
// watched. The same supervise loop serves a single run, a restart loop
// and the jobs of Parallel, which runs every job's plan in this process
// at once: each job's programs get a prefixed pipe and the null device,
// every signal nrun receives reaches every running program once, and a
// job's group is torn down when the job ends, the rest when the run ends.
//
// # Finding programs
//
// A program is found on the script's PATH, not nrun's (node_modules/.bin
// is only on the former), as sh finds it: 127 for a name that is nowhere,
// 126 for a file that cannot run; like sh, never in the current directory
// unless PATH names it. On Windows the lookup is cmd.exe's: the working
// directory first (unless NoDefaultCurrentDirectoryInExePath exists), then
// PATH, each with PATHEXT, so a tool.exe beside package.json runs as under
// npm. npm's cmd-shim .cmd files are read and their target started
// directly, so that Ctrl-C never meets "Terminate batch job (Y/N)?".
//
// # Which node_modules/.bin directories
//
// npm puts every ancestor's node_modules/.bin on PATH, so whoever can
// create one in a shared ancestor (/tmp, C:\) chooses what `node` means to
// every project below it. FindBinDirs keeps the package's own and an
// ancestor's only when it exists and only the user or an administrator
// can change it or replace it: owner and mode bits on Unix, owner and DACL
// on Windows (bindirs_unix.go, bindirs_windows.go). One Lstat per
// ancestor pays for itself: absent directories no longer sit on the PATH
// that every lookup of the script walks.
package runner
