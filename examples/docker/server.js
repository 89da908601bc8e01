// A tiny HTTP server for the Docker recipe. It has no SIGTERM handler on
// purpose: under nrun (PID 1, forwarding signals) `docker stop` still stops
// it at once. A real server would close its listener on SIGTERM; nrun
// delivers that SIGTERM exactly once.
const http = require("node:http");

const port = Number(process.env.PORT) || 3000;
http
  .createServer((req, res) => {
    res.end(`hello from pid ${process.pid} (${process.env.npm_lifecycle_event})\n`);
  })
  .listen(port, () => console.log(`listening on :${port}, pid ${process.pid}`));
