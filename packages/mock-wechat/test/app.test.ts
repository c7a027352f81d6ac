import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { APPID, SECRET, codeFor, exchange, startMock } from './helpers.js'

describe('buildMockWechat({ logger })', () => {
  it('logs request URLs with secrets and codes masked', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'))
        done()
      },
    })
    const mock = await startMock({ logger: { level: 'info', stream } })
    const code = await codeFor(mock, 'alice')
    expect((await exchange(mock, code)).body.access_token).toBeTruthy()
    const log = lines.join('')
    expect(log).toContain('/sns/oauth2/access_token?')
    expect(log).toContain(`appid=${APPID}`)
    expect(log).toContain('secret=***')
    expect(log).not.toContain(SECRET)
    expect(log).not.toContain(code)
  })
})
