package runner

import "golang.org/x/sys/unix"

// hasACL reports whether path has a POSIX access ACL, whose entries the
// group bits of its mode only bound.
func hasACL(path string) bool {
	_, err := unix.Getxattr(path, "system.posix_acl_access", nil)
	return err == nil
}
