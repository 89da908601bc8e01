//go:build unix

package runner

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// On Unix a node_modules or .bin is trusted when it belongs to the user
// (the effective uid) or to root, and neither its group nor others may
// write to it. Group write is accepted for a user private group: a group
// whose only member is the owner, which is how Debian, Ubuntu and Fedora
// set up accounts, with a umask of 002.

func isLink(fi fs.FileInfo) bool { return fi.Mode()&fs.ModeSymlink != 0 }

func statOf(fi fs.FileInfo) *syscall.Stat_t {
	st, _ := fi.Sys().(*syscall.Stat_t)
	return st
}

// trustedOwner: the user, or root, who can change anything anyway.
func trustedOwner(uid uint32) bool {
	return uid == 0 || uid == uint32(os.Geteuid())
}

// trustedLink checks who owns a symbolic link: its owner can replace it
// even in a sticky directory such as /tmp.
func trustedLink(path string, fi fs.FileInfo) string {
	if st := statOf(fi); st == nil || !trustedOwner(st.Uid) {
		return path + " is a symbolic link " + ownedBy(st)
	}
	return ""
}

func trustedDir(path string, fi fs.FileInfo) string {
	st := statOf(fi)
	switch mode := fi.Mode(); {
	case st == nil || !trustedOwner(st.Uid):
		return path + " is " + ownedBy(st)
	case mode&0o002 != 0:
		return fmt.Sprintf("%s is writable by others (%v)", path, mode)
	case mode&0o020 != 0 && !privateGroup(path, st.Gid, st.Uid):
		return fmt.Sprintf("%s is writable by group %s (%v)", path, groupName(st.Gid), mode)
	}
	return ""
}

// trustedParent checks the directory that holds node_modules: whoever may
// rename entries in it can swap node_modules for their own at any time,
// after nrun has looked. Others may not rename what they do not own in a
// sticky directory (/tmp), but its owner may.
func trustedParent(dir string) string {
	fi, err := os.Stat(dir)
	if err != nil {
		return "" // gone since: nothing of it is used either way
	}
	st := statOf(fi)
	switch mode := fi.Mode(); {
	case st == nil || !trustedOwner(st.Uid):
		return dir + " is " + ownedBy(st) + ", so its node_modules can be replaced"
	case mode&fs.ModeSticky != 0:
	case mode&0o002 != 0:
		return fmt.Sprintf("%s is writable by others without the sticky bit (%v), so its node_modules can be replaced", dir, mode)
	case mode&0o020 != 0 && !privateGroup(dir, st.Gid, st.Uid):
		return fmt.Sprintf("%s is writable by group %s without the sticky bit (%v), so its node_modules can be replaced", dir, groupName(st.Gid), mode)
	}
	return ""
}

func ownedBy(st *syscall.Stat_t) string {
	if st == nil {
		return "of unknown ownership"
	}
	id := strconv.FormatUint(uint64(st.Uid), 10)
	if name := nameOf(passwdFile, id); name != "" {
		id += " (" + name + ")"
	}
	return "owned by uid " + id + ", not by you or root"
}

func groupName(gid uint32) string {
	id := strconv.FormatUint(uint64(gid), 10)
	if name := nameOf(groupFile, id); name != "" {
		return name
	}
	return id
}

// nameOf finds the name of an id in /etc/passwd or /etc/group. os/user
// would do the same, but importing it makes a cgo build link libc, which
// costs every start of nrun the dynamic loader.
func nameOf(file, id string) (name string) {
	scanColonFile(file, func(f []string) bool {
		if len(f) > 2 && f[2] == id {
			name = f[0]
			return false
		}
		return true
	})
	return name
}

// The account databases privateGroup reads; tests point them elsewhere.
var passwdFile, groupFile = "/etc/passwd", "/etc/group"

// privateGroup reports whether gid is owner's private group: owner is its
// only member, as its primary group (in /etc/passwd) or as the one listed
// member (in /etc/group), and no other user has it. A group with no member
// found (directory services nrun cannot read without cgo) is not private.
// On Linux, an access ACL on path (whose mask shows as the group bits)
// could grant write to anyone, so path must have none.
func privateGroup(path string, gid, owner uint32) bool {
	if hasACL(path) {
		return false
	}
	ownerName := ""
	members := 0
	ok := scanColonFile(passwdFile, func(f []string) bool {
		if len(f) < 4 || f[3] != strconv.FormatUint(uint64(gid), 10) {
			return true
		}
		members++
		if f[2] != strconv.FormatUint(uint64(owner), 10) {
			return false
		}
		ownerName = f[0]
		return true
	})
	if !ok {
		return false
	}
	ok = scanColonFile(groupFile, func(f []string) bool {
		if len(f) < 4 || f[2] != strconv.FormatUint(uint64(gid), 10) || f[3] == "" {
			return true
		}
		for _, m := range strings.Split(f[3], ",") {
			members++
			if m != ownerName || ownerName == "" {
				return false
			}
		}
		return true
	})
	return ok && members > 0
}

// scanColonFile calls line for the fields of each line of an /etc/passwd
// style file until it returns false; it reports whether none did (and the
// file could be read).
func scanColonFile(name string, line func([]string) bool) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := sc.Text(); t != "" && t[0] != '#' && !line(strings.Split(t, ":")) {
			return false
		}
	}
	return sc.Err() == nil
}
