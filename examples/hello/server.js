// A tiny app that shows what nrun gave it: its PID, its argv and a few of
// the npm variables. Without node it is not started; see the README.
console.log(`pid ${process.pid}, args ${JSON.stringify(process.argv.slice(2))}`);
console.log(`npm_lifecycle_event=${process.env.npm_lifecycle_event}`);
