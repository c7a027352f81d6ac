/** `mpVerifyDir`: WeChat's `MP_verify_*.txt` domain-check files at the root, as plain files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, type TestContext } from '../helper.js'

let dir: string
let ctx: TestContext
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxauth-mp-'))
  writeFileSync(join(dir, 'MP_verify_AbC123xyz.txt'), 'AbC123xyz')
  ctx = await build({ options: { mpVerifyDir: dir } })
})
afterAll(async () => {
  await ctx?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('GET /MP_verify_*.txt', () => {
  it('serves the file WeChat asks for, as text, and nothing else', async () => {
    const found = await ctx.app.inject('/MP_verify_AbC123xyz.txt')
    expect(found.statusCode).toBe(200)
    expect(found.body).toBe('AbC123xyz')
    expect(found.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect((await ctx.app.inject('/MP_verify_Nope42.txt')).statusCode).toBe(404)
    expect((await ctx.app.inject('/MP_verify_..%2Fx.txt')).statusCode).toBe(404)
  })
})
