// The node app of the Docker and systemd recipe tests. Its working
// directory holds a writable state/ where it reports to the test:
//
//   node app.js serve      listen on 127.0.0.1:$PORT (3000), write state/up
//                          with its pid once listening; on SIGTERM append a
//                          line to state/signals and exit 0 after a drain
//                          period, the window in which a second SIGTERM shows
//   node app.js exit N     write state/up, then exit with status N
//   node app.js mark NAME  write its pid to state/NAME and exit 0 (a hook)
//   node app.js orphans N  start N children that each leave a grandchild
//                          behind and exit; every grandchild waits until it
//                          is reparented, appends "pid ppid" to
//                          state/orphans and exits; then serve
//   node app.js detach N   start a detached grandchild (its own session)
//                          that writes state/gc and lives on, then exit N
//                          once state/gc exists
"use strict";
const fs = require("node:fs");
const { spawn } = require("node:child_process");

const [mode, arg] = process.argv.slice(2);

function write(name, data) {
  fs.writeFileSync(`state/${name}.tmp`, data);
  fs.renameSync(`state/${name}.tmp`, `state/${name}`);
}

function self(...args) {
  return spawn(process.execPath, [__filename, ...args], { detached: true, stdio: "ignore" });
}

// ppid reads the parent pid afresh (process.ppid is fixed at start).
function ppid() {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

// waitFor polls every 10 ms until cond() is true, then calls then().
function waitFor(cond, then) {
  if (cond()) return then();
  setTimeout(() => waitFor(cond, then), 10);
}

function serve() {
  const drainMs = 300;
  let draining = false;
  process.on("SIGTERM", () => {
    fs.appendFileSync("state/signals", `SIGTERM ${process.pid}\n`);
    if (draining) return;
    draining = true;
    server.close();
    setTimeout(() => process.exit(0), drainMs);
  });
  const server = require("node:http").createServer((req, res) => res.end("ok\n"));
  server.on("error", (err) => {
    fs.appendFileSync("state/errors", `${err.code} ${process.pid}\n`);
    process.exit(1);
  });
  server.listen(Number(process.env.PORT) || 3000, "127.0.0.1", () => write("up", `${process.pid}`));
}

switch (mode) {
  case "serve":
    serve();
    break;
  case "exit":
    write("up", `${process.pid}`);
    process.exit(Number(arg));
  case "mark":
    write(arg, `${process.pid}`);
    break;
  case "orphans":
    for (let i = 0; i < Number(arg); i++) self("orphan-parent").unref();
    serve();
    break;
  case "orphan-parent":
    self("orphan", `${process.pid}`).unref();
    break;
  case "orphan": {
    const parent = Number(arg);
    waitFor(
      () => ppid() !== parent,
      () => fs.appendFileSync("state/orphans", `${process.pid} ${ppid()}\n`),
    );
    break;
  }
  case "detach":
    self("linger").unref();
    waitFor(() => fs.existsSync("state/gc"), () => process.exit(Number(arg)));
    break;
  case "linger":
    write("gc", `${process.pid}`);
    setInterval(() => {}, 1 << 30);
    break;
  default:
    console.error(`app.js: unknown mode ${mode}`);
    process.exit(2);
}
