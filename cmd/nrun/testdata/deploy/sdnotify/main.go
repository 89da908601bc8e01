// Command sdnotify is the Type=notify app of the systemd recipe tests: node
// has no unix datagram sockets, so this static program stands in for an app
// that calls sd_notify itself.
//
//	sdnotify self     send READY=1 from this process, then wait for SIGTERM
//	sdnotify child    have a child process send READY=1, then wait for SIGTERM
//
// It writes its pid to state/up once READY=1 has been sent, and exits 0 on
// SIGTERM.
package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: sdnotify self|child|send"))
	}
	switch os.Args[1] {
	case "send":
		fail(notify("READY=1"))
		return
	case "self":
		fail(notify("READY=1"))
	case "child":
		cmd := exec.Command(os.Args[0], "send")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		fail(cmd.Run())
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
	fail(os.WriteFile("state/up.tmp", []byte(fmt.Sprint(os.Getpid())), 0o644))
	fail(os.Rename("state/up.tmp", "state/up"))
	<-term
}

// notify sends one datagram to $NOTIFY_SOCKET, as sd_notify does.
func notify(state string) error {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return fmt.Errorf("NOTIFY_SOCKET is not set")
	}
	if addr[0] == '@' {
		addr = "\x00" + addr[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(state))
	return err
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdnotify:", err)
		os.Exit(1)
	}
}
