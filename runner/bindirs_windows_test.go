package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// The bin-trust rule on Windows. TestWindowsBinTrustRules judges security
// descriptors as Windows writes them (SDDL of C:\, of what a user creates
// there, of a profile directory); the others check real directories,
// which under Wine carry descriptors made from their Unix mode and owner.

// mySID is the SID of the user the tests run as.
func mySID(t *testing.T) string {
	t.Helper()
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	return u.User.Sid.String()
}

// TestWindowsBinTrustRules: owners and DACL entries that make a directory
// untrusted, as node_modules or .bin (every allow entry counts, inherited
// by children or not) and as the directory holding node_modules (only the
// rights to remove or rename what it holds, on itself).
func TestWindowsBinTrustRules(t *testing.T) {
	me := mySID(t)
	const ti = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
	for _, c := range []struct {
		name, sddl  string
		dir, parent string // what the reason says; "" = trusted
	}{
		{"profile directory", "O:" + me + "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;" + me + ")", "", ""},
		{"made by an elevated administrator", "O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)", "", ""},
		// C:\ itself: every authenticated user may create folders (AD)
		// and gets Modify on what they create (inherit-only).
		{"C:\\", "O:" + ti + "G:" + ti + "D:PAI(A;;FA;;;" + ti + ")(A;OICIIO;GA;;;" + ti + ")(A;;FA;;;SY)(A;OICIIO;GA;;;SY)(A;;FA;;;BA)(A;OICIIO;GA;;;BA)(A;;0x1200a9;;;BU)(A;OICIIO;GXGR;;;BU)(A;OICIIO;SDGXGWGR;;;AU)(A;;LC;;;AU)",
			"Authenticated Users", ""},
		// What a user creates in C:\ inherits that Modify.
		{"C:\\node_modules", "O:" + me + "D:AI(A;ID;FA;;;SY)(A;OICIIOID;GA;;;SY)(A;ID;FA;;;BA)(A;OICIIOID;GA;;;BA)(A;ID;0x1200a9;;;BU)(A;OICIIOID;GXGR;;;BU)(A;ID;0x1301bf;;;AU)(A;OICIIOID;SDGXGWGR;;;AU)",
			// As the directory holding node_modules, Modify (which has no
			// FILE_DELETE_CHILD) lets no one remove what it holds; the
			// node_modules inside inherits Modify and fails on its own.
			"Authenticated Users", ""},
		{"Users may write", "O:BAD:(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;BU)", "Users", "" /* Modify has no FILE_DELETE_CHILD */},
		{"Users may write into children only", "O:BAD:(A;OICI;FA;;;BA)(A;OICIIO;GW;;;BU)", "Users", ""},
		{"Users may delete children", "O:BAD:(A;OICI;FA;;;BA)(A;;0x40;;;BU)", "Users", "Users"},
		{"Everyone has full control", "O:" + me + "D:(A;OICI;FA;;;WD)", "Everyone", "Everyone"},
		{"Everyone may add files", "O:" + me + "D:(A;;0x2;;;WD)", "Everyone", ""},
		{"Everyone may change the DACL", "O:" + me + "D:(A;;WD;;;WD)", "Everyone", "Everyone"},
		{"Everyone may only read", "O:" + me + "D:(A;OICI;FA;;;" + me + ")(A;OICI;0x1200a9;;;WD)", "", ""},
		{"CREATOR OWNER and TrustedInstaller", "O:" + ti + "D:(A;OICIIO;GA;;;CO)(A;OICI;FA;;;" + ti + ")(A;OICI;FA;;;SY)", "", ""},
		{"another user's", "O:S-1-5-21-1-2-3-1001D:(A;OICI;FA;;;SY)", "owned by S-1-5-21-1-2-3-1001", "owned by S-1-5-21-1-2-3-1001"},
		{"Users own it", "O:BUD:(A;OICI;FA;;;SY)", "owned by", "owned by"},
		{"a deny does not make an allow harmless", "O:" + me + "D:(D;;FA;;;BU)(A;;FA;;;BU)", "Users", "Users"},
	} {
		sd, err := windows.SecurityDescriptorFromString(c.sddl)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkJudged(t, c.name, sd, c.dir, c.parent)
	}
	// A NULL DACL (which lets everyone do anything), made by hand: Wine's
	// SDDL parser reads "D:NO_ACCESS_CONTROL" as an empty DACL instead.
	sd, err := windows.NewSecurityDescriptor()
	if err != nil {
		t.Fatal(err)
	}
	owner, err := windows.StringToSid(me)
	if err != nil {
		t.Fatal(err)
	}
	if err := sd.SetOwner(owner, false); err != nil {
		t.Fatal(err)
	}
	if err := sd.SetDACL(nil, true, false); err != nil {
		t.Fatal(err)
	}
	checkJudged(t, "NULL DACL", sd, "no access control list", "no access control list")
}

// checkJudged judges sd as node_modules and as the directory holding it;
// a want of "" means trusted, else a word the reason must contain.
func checkJudged(t *testing.T, name string, sd *windows.SECURITY_DESCRIPTOR, dir, parent string) {
	t.Helper()
	{
		for _, check := range []struct {
			what   string
			got    string
			wanted string
		}{
			{"as node_modules", judgeSecurity(`X:\d`, sd, dirWrite, false), dir},
			{"holding node_modules", judgeSecurity(`X:\d`, sd, parentWrite, true), parent},
		} {
			switch {
			case check.wanted == "" && check.got != "":
				t.Errorf("%s, %s: %q, want trusted", name, check.what, check.got)
			case check.wanted != "" && (check.got == "" || !strings.Contains(check.got, check.wanted)):
				t.Errorf("%s, %s: %q, want a reason naming %q", name, check.what, check.got, check.wanted)
			}
		}
	}
}

// grantEveryoneWrite adds an allow entry giving Everyone write access to
// dir and what it holds. Under Wine this sets the Unix mode's o+w.
func grantEveryoneWrite(t *testing.T, dir string) {
	t.Helper()
	everyone, err := windows.CreateWellKnownSid(windows.WinWorldSid)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := windows.GetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	old, _, err := sd.DACL()
	if err != nil {
		t.Fatal(err)
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.GENERIC_READ | windows.GENERIC_WRITE | windows.GENERIC_EXECUTE,
		AccessMode:        windows.GRANT_ACCESS,
		Inheritance:       windows.SUB_CONTAINERS_AND_OBJECTS_INHERIT,
		Trustee: windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeType: windows.TRUSTEE_IS_WELL_KNOWN_GROUP,
			TrusteeValue: windows.TrusteeValueFromSID(everyone)},
	}}, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION, nil, nil, acl, nil); err != nil {
		t.Fatal(err)
	}
}

// binAncestors makes root\a\b\c\pkg with node_modules\.bin in a (trusted,
// as created) and b (Everyone may write), and returns pkg.
func binAncestors(t *testing.T) (root, pkg string) {
	t.Helper()
	root, err := os.MkdirTemp(testRoot, strings.ReplaceAll(t.Name(), "/", "_"))
	if err != nil {
		t.Fatal(err)
	}
	pkg = filepath.Join(root, "a", "b", "c", "pkg")
	for _, d := range []string{pkg, filepath.Join(root, "a", "node_modules", ".bin"), filepath.Join(root, "a", "b", "node_modules", ".bin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	grantEveryoneWrite(t, filepath.Join(root, "a", "b", "node_modules"))
	return root, pkg
}

// TestWindowsFindBinDirs: on real directories, a fresh one is trusted and
// one that Everyone may write is not, unless NRUN_TRUST_BIN_DIRS lists it
// (in any case: Windows paths ignore it). Under Wine a directory chowned to
// another Unix user (scripts/wine-test.sh makes one) shows another owner.
func TestWindowsFindBinDirs(t *testing.T) {
	root, pkg := binAncestors(t)
	a := filepath.Join(root, "a", "node_modules", ".bin")
	b := filepath.Join(root, "a", "b", "node_modules", ".bin")
	bp := FindBinDirs(pkg, "")
	if !slices.Contains(bp.Dirs, a) || slices.Contains(bp.Dirs, b) || bp.Dirs[0] != filepath.Join(pkg, "node_modules", ".bin") {
		t.Errorf("on PATH: %q; want the package's own, then %s, and not %s", bp.Dirs, a, b)
	}
	if len(bp.Skipped) == 0 || bp.Skipped[0].Dir != b || !strings.Contains(bp.Skipped[0].Reason, "S-1-1-0") {
		t.Errorf("skipped: %q; want %s first, Everyone (S-1-1-0) named", bp.Skipped, b)
	}
	bp = FindBinDirs(pkg, strings.ToUpper(b)+";relative")
	if !slices.Contains(bp.Dirs, b) || slices.ContainsFunc(bp.Skipped, func(s SkippedBinDir) bool { return s.Dir == b }) {
		t.Errorf("with %s listed: on PATH %q, skipped %q", b, bp.Dirs, bp.Skipped)
	}

	t.Run("link", func(t *testing.T) {
		// c\node_modules leads to a\node_modules: used as what it leads
		// to. A symbolic link needs Developer Mode or a privilege; a
		// junction needs neither.
		link := filepath.Join(root, "a", "b", "c", "node_modules")
		target := filepath.Join(root, "a", "node_modules")
		if os.Symlink(target, link) != nil {
			exec.Command("cmd", "/c", "mklink", "/J", link, target).Run()
		}
		fi, err := os.Lstat(link)
		if err != nil || !isLink(fi) {
			t.Skipf("SKIP: neither a symbolic link nor a junction could be made here (%v); links are not proven here", err)
		}
		bp := FindBinDirs(pkg, "")
		if !slices.Contains(bp.Dirs, filepath.Join(link, ".bin")) {
			t.Errorf("through a trusted junction: on PATH %q, skipped %q", bp.Dirs, bp.Skipped)
		}
	})

	t.Run("another owner", func(t *testing.T) {
		foreign := os.Getenv("NRUN_WINTEST_FOREIGN")
		if foreign == "" {
			t.Skip("SKIP: NRUN_WINTEST_FOREIGN does not name a directory with a node_modules\\.bin of another user (scripts/wine-test.sh makes one under Wine)")
		}
		bp := FindBinDirs(filepath.Join(foreign, "pkg"), "")
		bin := filepath.Join(foreign, "node_modules", ".bin")
		if slices.Contains(bp.Dirs, bin) || len(bp.Skipped) == 0 || bp.Skipped[0].Dir != bin || !strings.Contains(bp.Skipped[0].Reason, "is owned by") {
			t.Errorf("another user's: on PATH %q, skipped %q", bp.Dirs, bp.Skipped)
		}
	})
}

// TestWindowsBinTrustEndToEnd: nrun.exe never runs a program from an
// ancestor's .bin that Everyone may write, says so once (also with -s),
// runs the package's own, and follows NRUN_TRUST_BIN_DIRS.
func TestWindowsBinTrustEndToEnd(t *testing.T) {
	nrunExe(t) // skips, visibly, without a Windows build of nrun
	root, pkg := binAncestors(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(root, "a", "b", "node_modules", ".bin")
	copyFile(t, self, filepath.Join(bad, "app-fake.exe"))
	copyFile(t, self, filepath.Join(pkg, "node_modules", ".bin", "app.exe"))
	writeFile(t, filepath.Join(pkg, "package.json"), `{"scripts": {"fake": "app-fake touch pwned", "own": "app touch own"}}`)

	out, errs, code := runNrun(t, pkg, nil, "-s", "fake")
	warning := "nrun: warning: not using " + bad + ": "
	if code == 0 || !strings.Contains(errs, "command not found") || strings.Count(errs, warning) != 1 || strings.Count(errs, "nrun: warning:") != 1 {
		t.Errorf("fake: exit %d, stdout %q, stderr %q; want not found and one warning %q", code, out, errs, warning)
	}
	if _, err := os.Stat(filepath.Join(pkg, "pwned")); err == nil {
		t.Errorf("the program in %s ran", bad)
	}
	if _, errs, code := runNrun(t, pkg, nil, "own"); code != 0 || strings.Count(errs, warning) != 1 {
		t.Errorf("own: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(pkg, "own")); err != nil {
		t.Errorf("the package's own program did not run: %v", err)
	}
	if _, errs, code := runNrun(t, pkg, []string{TrustBinDirsVar + "=" + bad}, "fake"); code != 0 || strings.Contains(errs, "warning") {
		t.Errorf("with %s=%s: exit %d, stderr %q", TrustBinDirsVar, bad, code, errs)
	}
	if _, err := os.Stat(filepath.Join(pkg, "pwned")); err != nil {
		t.Errorf("listed in %s, the program did not run: %v", TrustBinDirsVar, err)
	}
}
