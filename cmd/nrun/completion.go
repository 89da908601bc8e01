package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/nrunjs/nrun/pkgjson"
)

// Shell completion.
//
// `nrun completion bash|zsh|fish` prints a script for that shell. The
// builtin wins only when the command line is exactly `nrun [options]
// completion SHELL` with SHELL one of bash, zsh or fish; anything else
// (`nrun completion`, `nrun completion foo`, `nrun completion bash --x`)
// runs a script named "completion", and `nrun run completion ...` always
// does.
//
// The scripts complete nrun's options and, in the place of the script name,
// the names of the scripts of the nearest package.json. They get the names by
// running `nrun [--prefix DIR] --completion-names`, which reads package.json
// the way nrun itself does (no Node) and prints one name per line.

// completionShells are the shells `nrun completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

// completionAction handles the completion builtin and the hidden names
// flag; done reports whether it did, so the caller returns err.
func completionAction(c *cli.Context, cfg *config) (done bool, err error) {
	if cfg.completionNames { // the hidden --completion-names
		return true, completionNames(c.App.Writer, cfg.prefix)
	}
	if args := c.Args().Slice(); len(args) == 2 && args[0] == "completion" && slices.Contains(completionShells, args[1]) {
		return true, writeCompletion(c.App.Writer, args[1])
	}
	return false, nil
}

// completionNames prints the script names of the nearest package.json (from
// prefix, else the working directory), one per line, in package.json order;
// `start` is added when npm's default (`node server.js`) would run. It
// prints nothing and succeeds when there is no usable package.json: a
// completion must never print errors into the command line being typed.
func completionNames(w io.Writer, prefix string) error {
	start := prefix
	if start == "" {
		cwd, err := syscall.Getwd()
		if err != nil {
			return nil
		}
		start = cwd
	}
	path, err := pkgjson.Find(start)
	if err != nil {
		return nil
	}
	pkg, err := pkgjson.Load(path)
	if err != nil {
		return nil
	}
	var b strings.Builder
	for _, s := range pkg.Scripts {
		// One name per line: a name with a line break cannot be offered.
		if s.Name != "" && !strings.ContainsAny(s.Name, "\n\r") {
			b.WriteString(s.Name)
			b.WriteByte('\n')
		}
	}
	if _, ok := pkg.Script("start"); !ok {
		if fi, err := os.Stat(filepath.Join(pkg.Dir, "server.js")); err == nil && fi.Mode().IsRegular() {
			b.WriteString("start\n")
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// completionOption is one visible option of nrun, as the scripts offer it.
type completionOption struct {
	names []string // "--prefix", "-C": long names first
	usage string
	value bool // takes a value (the next word)
	file  bool // the value is a file: its placeholder in the usage is PATH
}

// completionOptions lists nrun's visible options from the app itself, so
// options added later are completed without touching this file.
func completionOptions() []completionOption {
	var opts []completionOption
	help := false
	for _, f := range newApp(nil).Flags {
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		o := completionOption{}
		for _, n := range f.Names() {
			if n == "help" {
				help = true
			}
			if len(n) == 1 {
				o.names = append(o.names, "-"+n)
			} else {
				o.names = append(o.names, "--"+n)
			}
		}
		slices.SortStableFunc(o.names, func(a, b string) int { return len(b) - len(a) })
		if d, ok := f.(cli.DocGenerationFlag); ok {
			// urfave/cli marks a value's placeholder with backquotes.
			o.usage, o.value = strings.ReplaceAll(d.GetUsage(), "`", ""), d.TakesValue()
			_, quoted, _ := strings.Cut(d.GetUsage(), "`")
			placeholder, _, _ := strings.Cut(quoted, "`")
			o.file = o.value && placeholder == "PATH"
		}
		opts = append(opts, o)
	}
	if !help { // urfave/cli adds -h, --help when the app runs
		opts = append(opts, completionOption{names: []string{"--help", "-h"}, usage: "show help"})
	}
	return opts
}

// writeCompletion prints the completion script for shell.
func writeCompletion(w io.Writer, shell string) error {
	var s string
	switch shell {
	case "bash":
		s = bashCompletion(completionOptions())
	case "zsh":
		s = zshCompletion(completionOptions())
	case "fish":
		s = fishCompletion(completionOptions())
	default:
		return usageError{fmt.Errorf("completion: unknown shell %q (bash, zsh or fish)", shell)}
	}
	_, err := io.WriteString(w, s)
	return err
}

// optionWords returns every spelling of the options that match keep, as Go's
// flag package accepts them: -name and --name alike.
func optionWords(opts []completionOption, keep func(completionOption) bool) []string {
	var words []string
	for _, o := range opts {
		if !keep(o) {
			continue
		}
		for _, n := range o.names {
			bare := strings.TrimLeft(n, "-")
			words = append(words, "-"+bare, "--"+bare)
		}
	}
	return words
}

// isPrefixOption reports whether o is -C/--prefix, whose value is a directory
// the script names are read from.
func isPrefixOption(o completionOption) bool { return slices.Contains(o.names, "--prefix") }

// isFileOption reports whether o's value is a file (--shell PATH,
// --env-file PATH); other values (--grace 10s) are not completed.
func isFileOption(o completionOption) bool { return o.file }

// isOtherValueOption: takes a value that is neither the prefix nor a file.
func isOtherValueOption(o completionOption) bool {
	return o.value && !isPrefixOption(o) && !isFileOption(o)
}

// displayNames are the spellings offered to the user: --long and -s.
func displayNames(opts []completionOption) []string {
	var names []string
	for _, o := range opts {
		names = append(names, o.names...)
	}
	return names
}

func bashCompletion(opts []completionOption) string {
	r := strings.NewReplacer(
		"@OPTIONS@", strings.Join(displayNames(opts), " "),
		"@VALUE_OPTS@", caseList(optionWords(opts, isOtherValueOption)),
		"@FILE_OPTS@", caseList(optionWords(opts, isFileOption)),
		"@PREFIX_OPTS@", caseList(optionWords(opts, isPrefixOption)),
		"@PREFIX_EQ@", caseList(suffixed(optionWords(opts, isPrefixOption), "=*")),
	)
	return r.Replace(bashTemplate)
}

// caseList joins words as the alternatives of a shell case pattern.
func caseList(words []string) string {
	if len(words) == 0 {
		return "--no-such-option-"
	}
	return strings.Join(words, "|")
}

const bashTemplate = `# bash completion for nrun.
# Load it with:  source <(nrun completion bash)
# or save it as: ~/.local/share/bash-completion/completions/nrun
#
# Completes nrun's options and, where the script name goes, the scripts of
# the nearest package.json (from -C/--prefix DIR when given), read by
# "nrun --completion-names" (no Node). After the script name, files.

_nrun() {
    # Read the words from COMP_LINE rather than COMP_WORDS, which bash
    # splits at ':' (build:prod would be three words).
    local line=${COMP_LINE:0:COMP_POINT} cur
    case $line in
        '' | *[[:space:]]) cur= ;;
        *) cur=${line##*[[:space:]]} ;;
    esac
    local -a words
    read -r -a words <<<"${line%"$cur"}"

    local nrun=${words[0]/#\~/$HOME}
    type -P -- "$nrun" >/dev/null 2>&1 || nrun=nrun

    local w expect= prefix= run= noopts=
    for w in "${words[@]:1}"; do
        if [[ -n $expect ]]; then
            [[ $expect == prefix ]] && prefix=${w/#\~/$HOME}
            expect=
            continue
        fi
        if [[ -z $noopts ]]; then
            case $w in
                @PREFIX_OPTS@) expect=prefix; continue ;;
                @FILE_OPTS@) expect=file; continue ;;
                @VALUE_OPTS@) expect=value; continue ;;
                @PREFIX_EQ@) prefix=${w#*=}; prefix=${prefix/#\~/$HOME}; continue ;;
                --) noopts=1; continue ;;
                -*) continue ;;
            esac
        fi
        noopts=1
        if [[ -z $run && ( $w == run || $w == run-script ) ]]; then
            run=1
            continue
        fi
        # The script name is typed: what follows is the script's own.
        compopt -o default 2>/dev/null
        COMPREPLY=()
        return 0
    done

    COMPREPLY=()
    if [[ -z $noopts ]]; then
        case $cur in
            @PREFIX_EQ@)
                # bash completes only the part after '='.
                compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -d -- "${cur#*=}"))
                return 0 ;;
        esac
    fi
    case $expect in
        prefix) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
        file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
        value) return 0 ;;
    esac
    if [[ -z $noopts && $cur == -* ]]; then
        COMPREPLY=($(compgen -W "@OPTIONS@" -- "$cur"))
        return 0
    fi

    # Names are matched literally, never expanded (compgen -W would expand
    # $(...) in a script name).
    local name
    while IFS= read -r name; do
        [[ $name == "$cur"* ]] || continue
        if [[ $name == *[!A-Za-z0-9_:./@+=,%^-]* ]]; then
            name=$(printf '%q' "$name")
        fi
        COMPREPLY+=("$name")
    done < <("$nrun" ${prefix:+--prefix "$prefix"} --completion-names 2>/dev/null)

    # bash replaces only the part of the word after its last ':'.
    if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        local colon=${cur%"${cur##*:}"}
        COMPREPLY=("${COMPREPLY[@]#"$colon"}")
    fi
    return 0
}

complete -F _nrun nrun
`

func zshCompletion(opts []completionOption) string {
	var spec strings.Builder
	for _, o := range opts {
		usage := strings.NewReplacer("[", `\[`, "]", `\]`, ":", `\:`, "'", `'\''`).Replace(o.usage)
		for _, n := range o.names {
			fmt.Fprintf(&spec, "        '%s:%s'\n", n, usage)
		}
	}
	r := strings.NewReplacer(
		"@OPTSPEC@", strings.TrimRight(spec.String(), "\n"),
		"@VALUE_OPTS@", zshCaseList(optionWords(opts, isOtherValueOption)),
		"@FILE_OPTS@", zshCaseList(optionWords(opts, isFileOption)),
		"@PREFIX_OPTS@", zshCaseList(optionWords(opts, isPrefixOption)),
		"@PREFIX_EQ@", zshCaseList(suffixed(optionWords(opts, isPrefixOption), "=*")),
	)
	return r.Replace(zshTemplate)
}

func suffixed(words []string, suffix string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w + suffix
	}
	return out
}

// zshCaseList is caseList for zsh, whose patterns need '|' inside parentheses.
func zshCaseList(words []string) string { return "(" + caseList(words) + ")" }

const zshTemplate = `#compdef nrun
# zsh completion for nrun.
# Load it with:  source <(nrun completion zsh)      (after compinit)
# or save it as: _nrun in a directory of $fpath
#
# Completes nrun's options and, where the script name goes, the scripts of
# the nearest package.json (from -C/--prefix DIR when given), read by
# "nrun --completion-names" (no Node). After the script name, files.

_nrun() {
    local -a opts names
    opts=(
@OPTSPEC@
    )
    local nrun=${~words[1]}
    (( $+commands[$nrun] )) || [[ -x $nrun ]] || nrun=nrun

    local i w expect= prefix= run= noopts=
    for (( i = 2; i < CURRENT; i++ )); do
        w=${(Q)words[i]}
        if [[ -n $expect ]]; then
            [[ $expect == prefix ]] && prefix=${~w}
            expect=
            continue
        fi
        if [[ -z $noopts ]]; then
            case $w in
                @PREFIX_OPTS@) expect=prefix; continue ;;
                @FILE_OPTS@) expect=file; continue ;;
                @VALUE_OPTS@) expect=value; continue ;;
                @PREFIX_EQ@) prefix=${~w#*=}; continue ;;
                (--) noopts=1; continue ;;
                (-*) continue ;;
            esac
        fi
        noopts=1
        if [[ -z $run && ( $w == run || $w == run-script ) ]]; then
            run=1
            continue
        fi
        _files
        return
    done

    case $expect in
        (prefix) _directories; return ;;
        (file) _files; return ;;
        (value) _message -e values 'value'; return ;;
    esac
    if [[ -z $noopts ]]; then
        case $PREFIX in
            @PREFIX_EQ@) compset -P '*='; _directories; return ;;
        esac
    fi
    if [[ -z $noopts && $PREFIX == -* ]]; then
        _describe -t options 'nrun option' opts
        return
    fi
    names=(${(f)"$($nrun ${prefix:+--prefix} ${prefix:+$prefix} --completion-names 2>/dev/null)"})
    compadd -a names
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _nrun "$@"
else
    compdef _nrun nrun
fi
`

func fishCompletion(opts []completionOption) string {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString("complete -c nrun -n __nrun_no_script")
		for _, n := range o.names {
			bare := strings.TrimLeft(n, "-")
			if len(bare) == 1 {
				b.WriteString(" -s " + bare)
			} else {
				b.WriteString(" -l " + bare)
			}
		}
		switch {
		case isPrefixOption(o):
			b.WriteString(" -x -a '(__fish_complete_directories)'")
		case isFileOption(o):
			b.WriteString(" -r -F")
		case o.value:
			b.WriteString(" -x")
		}
		if o.usage != "" {
			b.WriteString(" -d " + fishQuote(o.usage))
		}
		b.WriteByte('\n')
	}
	r := strings.NewReplacer(
		"@OPTIONS@", b.String(),
		"@VALUE_OPTS@", strings.Join(fishQuoteAll(optionWords(opts, func(o completionOption) bool { return o.value && !isPrefixOption(o) })), " "),
		"@PREFIX_OPTS@", strings.Join(fishQuoteAll(optionWords(opts, isPrefixOption)), " "),
		"@PREFIX_EQ@", strings.Join(fishQuoteAll(suffixed(optionWords(opts, isPrefixOption), "=*")), " "),
	)
	return r.Replace(fishTemplate)
}

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func fishQuoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = fishQuote(w)
	}
	return out
}

const fishTemplate = `# fish completion for nrun.
# Load it with:  nrun completion fish | source
# or save it as: ~/.config/fish/completions/nrun.fish
#
# Completes nrun's options and, where the script name goes, the scripts of
# the nearest package.json (from -C/--prefix DIR when given), read by
# "nrun --completion-names" (no Node). After the script name, files.

# __nrun_scan prints "script" once the script name is typed, else the
# --prefix directory given so far (or nothing).
function __nrun_scan
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l expect
    set -l prefix
    set -l run
    set -l noopts
    for w in $tokens
        if test -n "$expect"
            test "$expect" = prefix; and set prefix (string replace -r -- '^~' "$HOME" $w)
            set expect
            continue
        end
        if test -z "$noopts"
            switch $w
                case @PREFIX_OPTS@
                    set expect prefix
                    continue
                case @VALUE_OPTS@
                    set expect value
                    continue
                case @PREFIX_EQ@
                    set prefix (string replace -r '^[^=]*=' '' -- $w | string replace -r -- '^~' "$HOME")
                    continue
                case --
                    set noopts 1
                    continue
                case '-*'
                    continue
            end
        end
        set noopts 1
        if test -z "$run"; and contains -- $w run run-script
            set run 1
            continue
        end
        echo script
        return
    end
    test -n "$prefix"; and echo "prefix=$prefix"
end

function __nrun_no_script
    set -l scan (__nrun_scan)
    test "$scan" != script
end

function __nrun_names
    set -l scan (__nrun_scan)
    set -l nrun (commandline -opc)[1]
    command -q $nrun; or set nrun nrun
    switch "$scan"
        case 'prefix=*'
            command $nrun --prefix (string replace 'prefix=' '' -- $scan) --completion-names 2>/dev/null
        case '*'
            command $nrun --completion-names 2>/dev/null
    end
end

complete -c nrun -e
complete -c nrun -n __nrun_no_script -f -a '(__nrun_names)' -d script
complete -c nrun -n 'not __nrun_no_script' -F
@OPTIONS@`
