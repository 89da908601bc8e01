package main

// The Docker recipe of docs/deploy.md under a real container runtime: podman with
// runc, rootful, in a storage of the test's own. No registry can be
// reached, so the image is imported from a root file system made here:
// node (the pinned version, with the libraries ldd names from the cached
// Debian root file system), the static nrun and examples/docker's app,
// with exactly the runtime stage of examples/docker/Dockerfile applied.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// dockerStage is what the runtime stage of the example Dockerfile does, in
// the terms the test image reproduces it.
type dockerStage struct {
	base    string   // the FROM image, ARGs expanded
	workdir string   // WORKDIR
	user    string   // USER
	copies  []string // files COPYed from the build context into workdir
	changes []string // podman import --change instructions
}

// exampleDockerStage reads the runtime (last) stage of the example
// Dockerfile and fails on any instruction the test image does not
// reproduce, so the two cannot drift apart silently.
func exampleDockerStage(t *testing.T) dockerStage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "docker", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	args := map[string]string{}
	var stage *dockerStage
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		op, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		op = strings.ToUpper(op)
		if op == "FROM" {
			stage = &dockerStage{base: os.Expand(strings.Fields(rest)[0], func(k string) string { return args[k] })}
			continue
		}
		if stage == nil {
			if k, v, ok := strings.Cut(rest, "="); op == "ARG" && ok {
				args[k] = v
			}
			continue
		}
		switch op {
		case "COPY":
			f := strings.Fields(rest)
			switch {
			case rest == "--from=nrun /out/nrun /usr/local/bin/nrun":
				// the static nrun: the test builds it
			case len(f) >= 2 && !strings.HasPrefix(f[0], "--") && (f[len(f)-1] == "./" || f[len(f)-1] == "."):
				stage.copies = append(stage.copies, f[:len(f)-1]...)
			default:
				stage.copies = append(stage.copies, "unsupported: "+line)
			}
		case "WORKDIR":
			stage.workdir = rest
			stage.changes = append(stage.changes, line)
		case "USER":
			stage.user = rest
			stage.changes = append(stage.changes, line)
		case "ENV", "EXPOSE", "CMD":
			stage.changes = append(stage.changes, line)
		default:
			stage.copies = append(stage.copies, "unsupported: "+line)
		}
	}
	if stage == nil {
		t.Fatal("the Dockerfile has no FROM")
	}
	for _, c := range stage.copies {
		if strings.HasPrefix(c, "unsupported: ") {
			t.Fatalf("the Dockerfile's runtime stage has %q, which TestDockerRecipe's image does not reproduce: teach it", strings.TrimPrefix(c, "unsupported: "))
		}
	}
	return *stage
}

// podman runs podman with a storage, state and configuration of the test's
// own, removing every container and image at the end.
type podman struct {
	dir  string
	conf string
}

func newPodman(t *testing.T) *podman {
	t.Helper()
	p := &podman{dir: t.TempDir()}
	p.conf = filepath.Join(p.dir, "containers.conf")
	// runc: crun refuses these machines' hybrid cgroup hierarchy;
	// cgroupfs and a file for events: the host runs no systemd; root
	// lacks CAP_SYS_RESOURCE, so the ulimits stay within its own; no
	// network: the tests need none.
	conf := fmt.Sprintf(`[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "none"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = %q
`, filepath.Join(p.dir, "tmp"))
	if err := os.WriteFile(p.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if out, err := p.output(2*time.Minute, "rm", "--all", "--force", "--time", "0"); err != nil {
			t.Errorf("podman rm: %v\n%s", err, out)
		}
		if out, err := p.output(2*time.Minute, "rmi", "--all", "--force"); err != nil {
			t.Errorf("podman rmi: %v\n%s", err, out)
		}
	})
	return p
}

func (p *podman) output(timeout time.Duration, args ...string) (string, error) {
	base := []string{"--root", filepath.Join(p.dir, "storage"), "--runroot", filepath.Join(p.dir, "run")}
	return deployOutput(timeout, []string{"CONTAINERS_CONF=" + p.conf}, "podman", append(base, args...)...)
}

// run runs podman and fails the test on error.
func (p *podman) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := p.output(2*time.Minute, args...)
	if err != nil {
		t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// container is a running container: its name and its PID 1 on the host.
type container struct {
	name string
	pid  int
}

var containers atomic.Int64 // for unique names

// start runs a detached container (podman run -d ARGS...); it is removed
// when the test ends.
func (p *podman) start(t *testing.T, args ...string) container {
	t.Helper()
	name := fmt.Sprintf("nrun-test-%d", containers.Add(1))
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := p.output(time.Minute, "logs", name)
			t.Logf("container %s's output:\n%s", name, out)
		}
		_, _ = p.output(time.Minute, "rm", "--force", "--time", "0", name)
	})
	p.run(t, append([]string{"run", "-d", "--name", name}, args...)...)
	pid, err := strconv.Atoi(p.run(t, "inspect", "-f", "{{.State.Pid}}", name))
	if err != nil || pid <= 0 {
		t.Fatalf("container %s has no pid: %v", name, err)
	}
	return container{name: name, pid: pid}
}

// logged waits for the container's output to contain s.
func (p *podman) logged(t *testing.T, c container, s string) {
	t.Helper()
	var out string
	if !probePoll(func() bool { out, _ = p.output(time.Minute, "logs", c.name); return strings.Contains(out, s) }) {
		t.Fatalf("%s did not print %q:\n%s", c.name, s, out)
	}
}

// stop runs podman stop -t timeout and returns how long it took and the
// container's exit code.
func (p *podman) stop(t *testing.T, c container, timeout int) (time.Duration, int) {
	t.Helper()
	start := time.Now()
	p.run(t, "stop", "--time", strconv.Itoa(timeout), c.name)
	took := time.Since(start)
	return took, p.exitCode(t, c)
}

func (p *podman) exitCode(t *testing.T, c container) int {
	t.Helper()
	code, err := strconv.Atoi(p.run(t, "inspect", "-f", "{{.State.ExitCode}}", c.name))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// TestDockerRecipe checks each claim of docs/deploy.md's Docker section with
// the image examples/docker/Dockerfile describes, under podman and runc.
func TestDockerRecipe(t *testing.T) {
	deployNeeds(t, "podman", "runc", "catatonit", "debootstrap")
	stage := exampleDockerStage(t)
	if want := "node:" + strings.Split(deployNodeVersion, ".")[0] + "-slim"; stage.base != want {
		t.Fatalf("the Dockerfile's runtime stage is FROM %s; the test image reproduces %s (deployNodeVersion)", stage.base, want)
	}
	if stage.user != "node" || stage.workdir == "" {
		t.Fatalf("the Dockerfile's runtime stage has USER %q WORKDIR %q; the test image gives the node user of the node images and needs a WORKDIR", stage.user, stage.workdir)
	}
	root := deployRootfs(t)
	node := deployNode(t, root)

	// The image: what node:N-slim holds that matters here (node, its
	// libraries, the node user 1000:1000), then the runtime stage.
	img := t.TempDir()
	deployInstall(t, node, filepath.Join(img, "usr/local/bin/node"))
	deployInstall(t, deployBuild(t, "."), filepath.Join(img, "usr/local/bin/nrun"))
	for _, lib := range regexp.MustCompile(`(?m)(/\S+) \(0x`).FindAllStringSubmatch(
		deployRun(t, time.Minute, "chroot", root, "ldd", "/usr/local/bin/node"), -1) {
		deployInstall(t, filepath.Join(root, lib[1]), filepath.Join(img, lib[1]))
	}
	for _, dir := range []string{"etc", "tmp", "home/node"} {
		if err := os.MkdirAll(filepath.Join(img, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n",
		"etc/group":  "root:x:0:\nnode:x:1000:\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(img, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.Chmod(filepath.Join(img, "tmp"), 0o1777)
	_ = os.Chown(filepath.Join(img, "home/node"), 1000, 1000)
	for _, f := range stage.copies {
		deployInstall(t, filepath.Join("..", "..", "examples", "docker", f), filepath.Join(img, stage.workdir, f))
	}
	tarball := filepath.Join(t.TempDir(), "image.tar")
	deployRun(t, 5*time.Minute, "tar", "-C", img, "--numeric-owner", "-cf", tarball, ".")
	p := newPodman(t)
	const image = "localhost/nrun-recipe"
	args := []string{"import"}
	for _, c := range stage.changes {
		args = append(args, "--change", c)
	}
	p.run(t, append(args, tarball, image)...)

	// testApp is a directory with the test app and the given start script,
	// mounted at /test (its state/ writable by the node user).
	testApp := func(t *testing.T, start string) (string, []string) {
		dir := t.TempDir()
		deployApp(t, dir, 1000, 1000, map[string]string{"start": start})
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir, []string{"-v", dir + ":/test", "-w", "/test"}
	}
	// The example app prints this line once it listens.
	const listening = "listening on :3000"

	t.Run("NrunIsPID1", func(t *testing.T) {
		c := p.start(t, image)
		p.logged(t, c, listening)
		if got := cmdline(c.pid); got != "nrun start" || nsPid(c.pid) != "1" {
			t.Errorf("PID 1 runs %q (pid %s in the container), want nrun start as 1", got, nsPid(c.pid))
		}
		kids := procChildren(c.pid)
		if len(kids) != 1 || cmdline(kids[0]) != "node server.js" {
			t.Errorf("PID 1's children: want node server.js only:\n%s", describeTree(c.pid))
		}
	})

	t.Run("StopHandlerlessApp", func(t *testing.T) {
		c := p.start(t, image)
		p.logged(t, c, listening)
		took, code := p.stop(t, c, 10)
		if took >= 2*time.Second || code != 143 {
			t.Errorf("podman stop -t 10 took %v and the container exited %d, want under 2s and 143", took, code)
		}
	})

	t.Run("StopAppWithHandler", func(t *testing.T) {
		dir, mount := testApp(t, "node app.js serve")
		c := p.start(t, append(mount, image, "nrun", "start")...)
		pid := deployState(dir, "up")
		took, code := p.stop(t, c, 10)
		if code != 0 || took >= 5*time.Second {
			t.Errorf("podman stop took %v and the container exited %d, want 0 from the app's handler", took, code)
		}
		if got, want := deployLines(dir, "signals"), []string{"SIGTERM " + pid}; !slices.Equal(got, want) {
			t.Errorf("the app's signals: %q, want %q", got, want)
		}
	})

	t.Run("ReapsOrphans", func(t *testing.T) {
		dir, mount := testApp(t, "node app.js orphans 3")
		c := p.start(t, append(mount, image, "nrun", "start")...)
		if !probePoll(func() bool { return len(deployLines(dir, "orphans")) == 3 }) {
			t.Fatalf("the orphans did not report: %q\n%s", deployLines(dir, "orphans"), describeTree(c.pid))
		}
		for _, l := range deployLines(dir, "orphans") {
			if f := strings.Fields(l); len(f) != 2 || f[1] != "1" {
				t.Errorf("orphan %q: want it reparented to PID 1", l)
			}
		}
		if !probePoll(func() bool { return len(zombies(c.pid)) == 0 }) {
			t.Errorf("zombies left in the container:\n%s", describeTree(c.pid))
		}
	})

	t.Run("AppExitEndsContainer", func(t *testing.T) {
		dir, mount := testApp(t, "node app.js detach 7")
		c := p.start(t, append(mount, image, "nrun", "start")...)
		if deployState(dir, "gc") == "" {
			t.Fatalf("the detached grandchild did not start:\n%s", describeTree(c.pid))
		}
		start := time.Now()
		out := p.run(t, "wait", c.name)
		if took := time.Since(start); out != "7" || took >= 2*time.Second {
			t.Errorf("podman wait said %q after %v, want 7 in under 2s", out, took)
		}
	})

	t.Run("ReadOnly", func(t *testing.T) {
		// No tmpfs either: nrun has nowhere to write.
		c := p.start(t, "--read-only", "--read-only-tmpfs=false", image)
		p.logged(t, c, listening)
		if _, code := p.stop(t, c, 10); code != 143 {
			t.Errorf("the read-only container exited %d, want 143", code)
		}
	})

	t.Run("InitInFront", func(t *testing.T) {
		c := p.start(t, "--init", image)
		p.logged(t, c, listening)
		// nrun is not PID 1 there: it execs, and the app is the init's
		// child in nrun's place.
		kids := procChildren(c.pid)
		if len(kids) != 1 || cmdline(kids[0]) != "node server.js" {
			t.Errorf("the init's children: want node server.js only:\n%s", describeTree(c.pid))
		}
		if took, code := p.stop(t, c, 10); took >= 2*time.Second || code != 143 {
			t.Errorf("podman stop -t 10 took %v and the container exited %d, want under 2s and 143", took, code)
		}
	})

	// The controls: node itself as PID 1, so the checks above can fail.
	t.Run("NodeAsPID1", func(t *testing.T) {
		c := p.start(t, image, "node", "server.js")
		p.logged(t, c, listening)
		took, code := p.stop(t, c, 1)
		if code != 137 || took < time.Second {
			t.Errorf("podman stop -t 1 took %v and node as PID 1 exited %d, want SIGKILL (137) after 1s", took, code)
		}

		dir, mount := testApp(t, "")
		c = p.start(t, append(mount, image, "node", "app.js", "orphans", "3")...)
		if !probePoll(func() bool { return len(zombies(c.pid)) == 3 }) {
			t.Errorf("want the 3 orphans left as zombies under node as PID 1 (reports %q):\n%s",
				deployLines(dir, "orphans"), describeTree(c.pid))
		}
	})
}
