/**
 * Proof that a package works outside the workspace: build it with its workspace dependencies,
 * `pnpm pack` each into a tarball (workspace: and catalog: ranges become real versions), install
 * the tarballs with npm into a fresh project in the temp directory, far from this repository's
 * node_modules, and run a smoke script there. Used by the packages' pack tests.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

export interface PackedProject {
  /** The temp project: package.json, node_modules, the tarballs. */
  dir: string
  /** Run `node <script>` there (the script is written into the project); its stdout. */
  run(script: string, env?: Record<string, string>): string
  remove(): void
}

/**
 * Pack `packages` (workspace package names, e.g. `@wxauth/fastify`) and install them, plus
 * `registryDeps` from the npm registry, into a new project outside the workspace.
 */
export function packAndInstall(packages: string[], registryDeps: string[] = []): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), 'wxauth-pack-'))
  const filters = packages.flatMap((name) => ['--filter', `${name}...`])
  execFileSync('pnpm', [...filters, 'build'], { cwd: ROOT, stdio: 'pipe' })
  for (const name of packages) {
    execFileSync('pnpm', ['--filter', name, 'pack', '--pack-destination', dir], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, npm_config_ignore_scripts: 'true' },
    })
  }
  const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz'))
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'wxauth-pack-check', private: true, type: 'module' }),
  )
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...tarballs.map((t) => `./${t}`),
      ...registryDeps,
    ],
    { cwd: dir, stdio: 'pipe', timeout: 600_000 },
  )
  return {
    dir,
    run(script, env = {}) {
      const file = join(dir, `smoke-${Date.now()}.mjs`)
      writeFileSync(file, script)
      return execFileSync(process.execPath, [file], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      })
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
