/**
 * `src/server.ts` as a process of its own, the way an operator runs it: node with the tsx loader (one
 * process, so signals reach the server itself, not a wrapper), configured by environment only.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runLogged, type LoggedProcess } from '../../../../scripts/child-process.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const serverScript = join(root, 'src', 'server.ts')
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export interface ServerProcess extends LoggedProcess {
  /** `http://127.0.0.1:<port>`, from the "Server listening" line. */
  url: string
}

/** Start the server in `cwd` with `env` (plus PATH/HOME) and wait until it listens. */
export async function startServerProcess(
  cwd: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const { child, output, exited } = runLogged(
    process.execPath,
    ['--conditions=source', '--import', tsxLoader, serverScript],
    env,
    { cwd },
  )
  const until = Date.now() + 20_000
  let match: RegExpExecArray | null = null
  while (!(match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output()))) {
    if (Date.now() > until || child.exitCode !== null)
      throw new Error(`the server did not start:\n${output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return { child, url: match[1]!, output, exited }
}
