// leaf.js LABEL [ARG...]: the program at the end of every scenario. It prints
// one line that shows its label, its arguments and the npm variables that
// matter most, and, when ECO_RECORDS names a directory, writes everything it
// sees there as LABEL.N.json (N counts the runs of one label) for the test
// to compare variable by variable. "fail" exits 7.
'use strict'
const fs = require('fs')
const path = require('path')

const [label, ...args] = process.argv.slice(2)
const env = process.env
const pick = (prefix) =>
  Object.fromEntries(Object.keys(env).filter((k) => k.startsWith(prefix)).sort().map((k) => [k.slice(prefix.length), env[k]]))

if (env.ECO_RECORDS) {
  const record = JSON.stringify({ label, args, cwd: process.cwd(), env })
  for (let n = 1; ; n++) {
    try {
      fs.writeFileSync(path.join(env.ECO_RECORDS, `${label}.${n}.json`), record, { flag: 'wx' })
      break
    } catch (e) {
      if (e.code !== 'EEXIST') throw e
    }
  }
}
console.log(
  `${label} argv=${JSON.stringify(args)} event=${env.npm_lifecycle_event} ` +
    `package_config=${JSON.stringify(pick('npm_package_config_'))}`
)
if (label === 'fail') process.exitCode = 7
