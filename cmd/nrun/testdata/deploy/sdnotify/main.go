// Command sdnotify is the Type=notify app of the systemd recipe tests: node
// has no unix datagram sockets, so this static program stands in for an app
// that calls sd_notify itself.
//
//	sdnotify self     send READY=1 from this process
//	sdnotify child    have a child process (sdnotify send) send READY=1
//
// The process that sent READY=1 writes its pid to state/up. Every process
// then waits for SIGTERM and exits 0: the sender must live on, or systemd
// could no longer tell whose message it was.
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
	case "self", "send":
		fail(notify("READY=1"))
		fail(os.WriteFile("state/up.tmp", []byte(fmt.Sprint(os.Getpid())), 0o644))
		fail(os.Rename("state/up.tmp", "state/up"))
	case "child":
		cmd := exec.Command(os.Args[0], "send")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		fail(cmd.Start())
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
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
