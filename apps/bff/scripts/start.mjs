#!/usr/bin/env node
// `pnpm --filter @wxauth/bff start` (and the root `pnpm start`): the built server. On a fresh clone
// nothing is built yet; say how to fix it instead of printing a module-resolution stack trace.
try {
  await import('../dist/server.js')
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error
  process.stderr.write(
    'The BFF is not built yet: run `pnpm build` first (or `pnpm dev` to develop without a build).\n' +
      `  (${error.message.split('\n')[0]})\n`,
  )
  process.exit(1)
}
