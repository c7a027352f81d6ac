/**
 * A child process whose output is kept for the caller to read (a readiness line, a failure's last
 * words): the soak, the load-balancer test and the server-process tests start theirs with this. The
 * environment is exactly `env` plus PATH and HOME, so nothing of the caller's leaks in.
 */
import { spawn, type ChildProcess } from 'node:child_process'

export interface LoggedProcess {
  child: ChildProcess
  /** Everything it wrote to stdout and stderr (the last `keepChars` of it). */
  output: () => string
  exited: Promise<number | null>
}

export interface LoggedProcessOptions {
  cwd?: string
  /** Keep only the tail: an instance under load logs every request. Default: everything. */
  keepChars?: number
}

export function runLogged(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  { cwd, keepChars = Infinity }: LoggedProcessOptions = {},
): LoggedProcess {
  const child = spawn(cmd, args, {
    ...(cwd === undefined ? {} : { cwd }),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const keep = (data: Buffer) => {
    out += data.toString()
    if (out.length > keepChars) out = out.slice(-keepChars)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => out, exited }
}
