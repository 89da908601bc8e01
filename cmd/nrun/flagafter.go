package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nrunjs/nrun/internal/workspaces"
	"github.com/nrunjs/nrun/pkgjson"
)

// workspaceFlagAfterName refuses `nrun docs -w pkg`: npm reads a -w after
// the script name as its own and runs docs in pkg, nrun's rule would give
// "-w pkg" to the root's docs, which may run in the wrong directory
// (`git clean` in the root). When such an argument names a workspace of
// this project, neither reading is safe to guess; one of the two clear
// spellings is asked for. Arguments after an explicit "--" are the
// script's, and -w values that name no workspace (tsc -w) are left alone.
func workspaceFlagAfterName(cfg *config, pkg *pkgjson.Package, cwd string) error {
	if cfg.dashDash {
		return nil
	}
	for i, a := range cfg.args {
		flag, value, hasValue := a, "", false
		switch {
		case a == "--workspaces" || a == "-ws" || a == "--include-workspace-root" || a == "-iwr":
		case strings.HasPrefix(a, "--workspace="), strings.HasPrefix(a, "-w="):
			flag, value, _ = strings.Cut(a, "=")
			hasValue = true
		case (a == "-w" || a == "--workspace") && i+1 < len(cfg.args):
			value, hasValue = cfg.args[i+1], true
		default:
			continue
		}
		if hasValue && !namesWorkspace(pkg, value, cwd) || !hasValue && !hasWorkspaces(pkg) {
			continue
		}
		typed := strings.TrimSpace(flag + " " + value)
		return usageError{fmt.Errorf("%q after the script name would be an argument of %q: to run it in that workspace put it first (nrun %s %s), to pass it to the script put it after -- (nrun %s -- %s)",
			typed, cfg.script, typed, cfg.script, cfg.script, typed)}
	}
	return nil
}

// namesWorkspace reports whether value selects a workspace of the
// monorepo pkg belongs to.
func namesWorkspace(pkg *pkgjson.Package, value, cwd string) bool {
	all := workspacesOf(pkg)
	if len(all) == 0 {
		return false
	}
	_, err := workspaces.SelectWorkspaces(all, []string{value}, cwd)
	return err == nil || !errors.Is(err, workspaces.ErrNoWorkspaces)
}

func hasWorkspaces(pkg *pkgjson.Package) bool { return len(workspacesOf(pkg)) > 0 }

// workspacesOf lists the workspaces of the monorepo pkg belongs to; none
// when it belongs to none or they cannot be read.
func workspacesOf(pkg *pkgjson.Package) []workspaces.Workspace {
	_, all, _ := monorepoOf(pkg)
	return all
}

// monorepoOf returns the root package of the monorepo pkg belongs to (pkg
// itself when it is the root or belongs to none) and its workspaces.
func monorepoOf(pkg *pkgjson.Package) (*pkgjson.Package, []workspaces.Workspace, error) {
	root, err := monorepoRoot(pkg)
	if err != nil {
		return nil, nil, err
	}
	all, err := workspaces.Workspaces(root)
	return root, all, err
}

// monorepoRoot is monorepoOf's root package alone.
func monorepoRoot(pkg *pkgjson.Package) (*pkgjson.Package, error) {
	path, err := workspaces.FindWorkspaceRoot(pkg.Dir)
	if err != nil || path == "" || path == pkg.Path {
		return pkg, err
	}
	return pkgjson.Load(path)
}
