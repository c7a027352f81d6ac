/**
 * `pnpm bench`: every benchmark of the plugin, one after another, each in its own process so one's
 * servers never share a process with another's. Exits non-zero when any of them did (a failed
 * request, a server that would not start).
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BENCHES = ['me.bench.ts', 'login.bench.ts', 'scale.bench.ts']
let failed = 0
for (const bench of BENCHES) {
  const script = fileURLToPath(new URL(`./${bench}`, import.meta.url))
  const run = spawnSync(process.execPath, [...process.execArgv, script], { stdio: 'inherit' })
  if (run.status !== 0) {
    failed++
    console.error(`\n✗ ${bench} exited with ${run.status ?? run.signal}`)
  }
}
process.exitCode = failed > 0 ? 1 : 0
