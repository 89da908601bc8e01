package proctest

import (
	"errors"
	"fmt"
	"os"
)

// The handshake between a test and the processes it starts is by files:
// a helper writes one when it is ready, the test polls for it.

// WriteAtomic writes data to file through a temporary file and a rename,
// so that a poll never sees a partial file.
func WriteAtomic(file, data string) error {
	tmp := fmt.Sprintf("%s.%d.tmp", file, os.Getpid())
	if err := os.WriteFile(tmp, []byte(data), 0o666); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// AppendLine appends text and a newline to file and syncs it, so that a
// line written just before the process dies is not lost.
func AppendLine(file, text string) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text + "\n")
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// HasData reports whether file exists and is not empty.
func HasData(file string) bool {
	fi, err := os.Stat(file)
	return err == nil && fi.Size() > 0
}
