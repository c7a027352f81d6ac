/**
 * `src/server.ts` as a process of its own, the way an operator runs it: node with the tsx loader (one
 * process, so signals reach the server itself, not a wrapper), configured by environment only.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const serverScript = join(root, 'src', 'server.ts')
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export interface ServerProcess {
  child: ChildProcess
  /** `http://127.0.0.1:<port>`, from the "Server listening" line. */
  url: string
  /** Everything it wrote (JSON log lines, one per line). */
  output: () => string
  exited: Promise<number | null>
}

/** Start the server in `cwd` with `env` (plus PATH/HOME) and wait until it listens. */
export async function startServerProcess(
  cwd: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsxLoader, serverScript],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const until = Date.now() + 20_000
  let match: RegExpExecArray | null = null
  while (!(match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out))) {
    if (Date.now() > until || child.exitCode !== null)
      throw new Error(`the server did not start:\n${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return { child, url: match[1]!, output: () => out, exited }
}
