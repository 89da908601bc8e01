// detect.js: what the package-manager detectors tools use conclude from
// npm_config_user_agent, printed as one line so that npm and nrun can be
// compared: nrun's user agent must make them see an npm-compatible runner.
import whichPMRuns from 'which-pm-runs'
import { getUserAgent } from 'package-manager-detector/detect'

console.log(`detect which-pm-runs=${JSON.stringify(whichPMRuns())} package-manager-detector=${getUserAgent()}`)
