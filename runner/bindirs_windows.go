package runner

import (
	"fmt"
	"io/fs"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows a node_modules or .bin is trusted when its owner is the user,
// Administrators, SYSTEM or TrustedInstaller, and no access-allowed entry
// of its DACL gives anyone else a right to change it or what it holds:
// entries that only children inherit count too, since they decide who may
// write the programs inside. Deny entries are not weighed (a deny that
// would cancel an allow only makes nrun stricter than Windows). This is
// the owner rule of Windows' OpenSSH for its key files, limited to write
// rights; C:\ lets every authenticated user create folders, and what they
// create there inherits write access for all of them.

// Directory rights that x/sys/windows does not name (winnt.h's values).
const (
	fileAddFile         = 0x2  // FILE_ADD_FILE, FILE_WRITE_DATA on a file
	fileAddSubdirectory = 0x4  // FILE_ADD_SUBDIRECTORY, FILE_APPEND_DATA on a file
	fileDeleteChild     = 0x40 // FILE_DELETE_CHILD
	aceAllowedCallback  = 9    // ACCESS_ALLOWED_CALLBACK_ACE_TYPE
)

// dirWrite are the rights that change a directory's entries or the
// directory itself; the file rights with the same bits (write, append)
// count the same way through inherited entries.
const dirWrite = fileAddFile | fileAddSubdirectory | fileDeleteChild |
	windows.DELETE | windows.WRITE_DAC | windows.WRITE_OWNER | windows.GENERIC_WRITE | windows.GENERIC_ALL

// linkWrite adds what retargets a link: its attributes and reparse data.
const linkWrite = dirWrite | windows.FILE_WRITE_ATTRIBUTES

// parentWrite are the rights on the holding directory that let someone
// remove or rename node_modules, or give themselves that right.
const parentWrite = fileDeleteChild | windows.WRITE_DAC | windows.WRITE_OWNER | windows.GENERIC_ALL

// trustedSIDs are the user and the principals that administer the machine.
var trustedSIDs = sync.OnceValue(func() []*windows.SID {
	var sids []*windows.SID
	if u, err := windows.GetCurrentProcessToken().GetTokenUser(); err == nil {
		sids = append(sids, u.User.Sid)
	}
	for _, t := range []windows.WELL_KNOWN_SID_TYPE{windows.WinLocalSystemSid, windows.WinBuiltinAdministratorsSid} {
		if s, err := windows.CreateWellKnownSid(t); err == nil {
			sids = append(sids, s)
		}
	}
	if s, err := windows.StringToSid("S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"); err == nil {
		sids = append(sids, s) // NT SERVICE\TrustedInstaller
	}
	return sids
})

func trusted(sid *windows.SID) bool {
	for _, t := range trustedSIDs() {
		if sid.Equals(t) {
			return true
		}
	}
	return false
}

// harmlessWriter: CREATOR OWNER and CREATOR GROUP stand for whoever
// creates a child, which needs a right given to someone else; OWNER RIGHTS
// is the (trusted) owner.
func harmlessWriter(sid *windows.SID) bool {
	return trusted(sid) || sid.IsWellKnown(windows.WinCreatorOwnerSid) ||
		sid.IsWellKnown(windows.WinCreatorGroupSid) || sid.String() == "S-1-3-4"
}

func isLink(fi fs.FileInfo) bool {
	d, ok := fi.Sys().(*syscall.Win32FileAttributeData)
	return ok && d.FileAttributes&windows.FILE_ATTRIBUTE_REPARSE_POINT != 0
}

func trustedLink(path string, _ fs.FileInfo) string {
	return checkSecurity(path, true, linkWrite, false)
}

func trustedDir(path string, _ fs.FileInfo) string {
	return checkSecurity(path, false, dirWrite, false)
}

func trustedParent(dir string) string {
	if reason := checkSecurity(dir, false, parentWrite, true); reason != "" {
		return reason + ", so its node_modules can be replaced"
	}
	return ""
}

// checkSecurity reads path's owner and DACL (of a link itself when link)
// and says what is wrong with them.
func checkSecurity(path string, link bool, rights windows.ACCESS_MASK, effectiveOnly bool) string {
	sd, err := securityOf(path, link)
	if err != nil {
		return fmt.Sprintf("cannot read the owner and permissions of %s: %v", path, err)
	}
	return judgeSecurity(path, sd, rights, effectiveOnly)
}

// judgeSecurity says what is wrong with a security descriptor: an owner
// other than the trusted ones, no DACL, or an allow entry that gives
// anyone else one of rights. effectiveOnly skips entries that only
// children inherit.
func judgeSecurity(path string, sd *windows.SECURITY_DESCRIPTOR, rights windows.ACCESS_MASK, effectiveOnly bool) string {
	owner, _, err := sd.Owner()
	if err != nil || owner == nil {
		return path + " has no owner"
	}
	if !trusted(owner) {
		return fmt.Sprintf("%s is owned by %s, not by you, Administrators or SYSTEM", path, account(owner))
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		return path + " has no access control list, so everyone may change it"
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if windows.GetAce(dacl, i, &ace) != nil {
			return "cannot read the permissions of " + path
		}
		// Conditional (callback) allow entries have the same layout.
		if t := ace.Header.AceType; t != windows.ACCESS_ALLOWED_ACE_TYPE && t != aceAllowedCallback {
			continue
		}
		if effectiveOnly && ace.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if ace.Mask&rights != 0 && !harmlessWriter(sid) {
			return fmt.Sprintf("%s lets %s change it (access mask %#x)", path, account(sid), ace.Mask)
		}
	}
	return ""
}

// securityOf opens path for READ_CONTROL only (a directory needs backup
// semantics; a link itself, the reparse flag) and reads its owner and DACL.
func securityOf(path string, link bool) (*windows.SECURITY_DESCRIPTOR, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	flags := uint32(windows.FILE_FLAG_BACKUP_SEMANTICS)
	if link {
		flags |= windows.FILE_FLAG_OPEN_REPARSE_POINT
	}
	h, err := windows.CreateFile(p, windows.READ_CONTROL,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil, windows.OPEN_EXISTING, flags, 0)
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(h)
	return windows.GetSecurityInfo(h, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
}

// account names a SID as DOMAIN\name (SID), or by the SID alone.
func account(sid *windows.SID) string {
	if name, domain, _, err := sid.LookupAccount(""); err == nil {
		if domain != "" {
			name = domain + `\` + name
		}
		return name + " (" + sid.String() + ")"
	}
	return sid.String()
}
