import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ERRCODE_GROUPS,
  WechatApiError,
  WechatError,
  errcodeKind,
  type WechatErrorKind,
} from '../src/index.js'
import { startFakeWechat, type FakeWechat } from './helpers/fake-wechat.js'
import { testClient } from './helpers/client.js'

let fake: FakeWechat
beforeAll(async () => {
  fake = await startFakeWechat()
})
afterAll(() => fake.close())

/** Have the fake answer each errcode on the code exchange and check the error the client throws. */
async function expectKind(codes: number[], kind: WechatErrorKind): Promise<void> {
  const client = testClient(fake)
  for (const errcode of codes) {
    expect(errcodeKind(errcode)).toBe(kind)
    fake.on('sns/oauth2/access_token', {
      body: { errcode, errmsg: `message for ${errcode} rid: 65a33cd8-023106e1-2dc7e2f6` },
    })
    const error = await client.exchangeCode('CODE').then(
      () => null,
      (thrown: unknown) => thrown,
    )
    expect(error, `errcode ${errcode}`).toBeInstanceOf(WechatApiError)
    expect(error, `errcode ${errcode}`).toBeInstanceOf(WechatError)
    expect(error).toMatchObject({ errcode, kind, endpoint: 'sns/oauth2/access_token' })
    expect((error as Error).message).toContain(String(errcode))
  }
}

describe('errcode kinds (one per group)', () => {
  it('maps 40029, 42003, 41008 to code-invalid', () =>
    expectKind([40029, 42003, 41008], 'code-invalid'))

  it('maps 40163 to code-used', () => expectKind([40163], 'code-used'))

  it('maps 42001, 40001, 40014 to token-expired', () =>
    expectKind([42001, 40001, 40014], 'token-expired'))

  it('maps 40030, 42002, 42007, 41003 to refresh-expired', () =>
    expectKind([40030, 42002, 42007, 41003], 'refresh-expired'))

  it('maps 48001, 50001 to scope', () => expectKind([48001, 50001], 'scope'))

  it('maps the appid/secret/IP family to config', () =>
    expectKind(
      [40013, 40125, 40164, 41002, 41004, 40002, 40243, 43003, 61004, 89501, 89503, 89506, 89507],
      'config',
    ))

  it('maps -1, -1000 to busy', () => expectKind([-1, -1000], 'busy'))

  it('maps 45009, 45011 to rate-limit', () => expectKind([45009, 45011], 'rate-limit'))

  it('maps anything else (40003, 99999) to unknown', () => expectKind([40003, 99999], 'unknown'))
})

describe('the errcode table', () => {
  it('lists each errcode once, and every group links its docs', () => {
    const all = ERRCODE_GROUPS.flatMap((group) => group.codes)
    expect(new Set(all).size).toBe(all.length)
    for (const group of ERRCODE_GROUPS) {
      expect(group.docs.length).toBeGreaterThan(0)
      for (const link of group.docs) expect(link).toMatch(/^https:\/\//)
    }
  })

  it('has one group per kind except unknown', () => {
    expect(ERRCODE_GROUPS.map((group) => group.kind).sort()).toEqual([
      'busy',
      'code-invalid',
      'code-used',
      'config',
      'rate-limit',
      'refresh-expired',
      'scope',
      'token-expired',
    ])
  })
})
