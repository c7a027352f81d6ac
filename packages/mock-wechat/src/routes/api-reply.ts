/**
 * How every simulated API call is answered: latency, the call log, injected failures, and WeChat's
 * wire format (HTTP 200 even for errors; `text/plain` on `/sns/*`, `application/json;
 * encoding=utf-8` on `/cgi-bin/*`; https://developers.weixin.qq.com/doc/oplatform/developers/dev/guide.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CallSubject } from '../call-filter.js'
import type { CallRecord } from '../calls.js'
import type { MockContext } from '../context.js'
import { wechatError, type WechatErrorBody } from '../errors.js'
import type { Endpoint, FaultMode } from '../faults.js'

export type ApiFlavor = 'sns' | 'cgi-bin'

/**
 * Observed Content-Types: `text/plain` (no charset) on `sns/oauth2/access_token` and `sns/userinfo`,
 * `application/json; encoding=utf-8` (sic) on `cgi-bin/token` and `cgi-bin/user/info`.
 * @see https://developers.weixin.qq.com/community/develop/doc/000aea3c70cb205d512f3e84d51000
 */
const CONTENT_TYPES: Record<ApiFlavor, string> = {
  sns: 'text/plain',
  'cgi-bin': 'application/json; encoding=utf-8',
}

/** What a flaky upstream sometimes returns with HTTP 200: an HTML page, not JSON. */
export const GARBAGE_BODY =
  '<html><head><title>系统繁忙</title></head><body><h1>系统繁忙，请稍后再试</h1><p>The server is busy.</p></body></html>'

/** A gateway failure in front of WeChat. */
export const HTTP500_BODY =
  '<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/**
 * Send a JSON body exactly as WeChat labels it. A Buffer payload keeps Fastify from rewriting the
 * Content-Type (it would add `charset=utf-8` to a JSON type).
 */
export function sendWechatJson(reply: FastifyReply, flavor: ApiFlavor, body: object): FastifyReply {
  return reply
    .code(200)
    .header('content-type', CONTENT_TYPES[flavor])
    .send(Buffer.from(JSON.stringify(body), 'utf8'))
}

/** The first value of each query parameter (Fastify gives arrays for repeated keys). */
export function queryParams(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {}
  const query = request.query as Record<string, string | string[] | undefined>
  for (const [name, value] of Object.entries(query ?? {})) {
    const first = Array.isArray(value) ? value[0] : value
    if (typeof first === 'string') out[name] = first
  }
  return out
}

/** The origin the caller used to reach the simulator, for URLs it should be able to load. */
export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host || '127.0.0.1'}`
}

/** The caller's IPv4 address without the `::ffff:` prefix of a dual-stack socket. */
export function clientIp(request: FastifyRequest): string {
  return request.ip.replace(/^::ffff:/i, '')
}

/**
 * Answer a transport-level failure: `garbage`, `http500`, or `timeout` (hold, then drop the
 * connection without an answer).
 */
export async function sendTransportFault(
  ctx: MockContext,
  reply: FastifyReply,
  mode: Exclude<FaultMode, 'errcode'>,
): Promise<FastifyReply> {
  if (mode === 'garbage') {
    return reply.code(200).type('text/html; charset=utf-8').send(GARBAGE_BODY)
  }
  if (mode === 'http500') {
    return reply.code(500).type('text/html').send(HTTP500_BODY)
  }
  reply.hijack()
  await ctx.waits.sleep(ctx.settings.timeoutHoldMs)
  reply.raw.destroy()
  return reply
}

export interface ApiCall {
  endpoint: Endpoint
  flavor: ApiFlavor
  /** Parameters for the call log (masked there). */
  params: Record<string, string>
  /**
   * The app and user the call is about (from its parameters, or the code or token it carries):
   * picks the namespace and the failures and latency that apply.
   */
  subject: CallSubject
  /** WeChat's logic with its side effects at simulated time `now`; returns the body to send. */
  handle: (now: number) => object
  /** Side effects an injected errcode still has (a code exchange consumes the code). */
  onInjectedErrcode?: (now: number) => void
}

function errcodeOf(body: object): number | undefined {
  const errcode = (body as Partial<WechatErrorBody>).errcode
  return typeof errcode === 'number' && errcode !== 0 ? errcode : undefined
}

/** Run one simulated API call end to end, in the namespace of its app. */
export async function answerApi(
  ctx: MockContext,
  request: FastifyRequest,
  reply: FastifyReply,
  call: ApiCall,
): Promise<FastifyReply> {
  const namespace = ctx.namespaces.forApp(call.subject.appid)
  await ctx.waits.sleep(namespace.latency.delayFor(call.endpoint, call.subject))
  const now = namespace.clock.now()
  const logged: CallRecord = namespace.calls.record(call.endpoint, request.method, call.params, now)
  const fault = namespace.faults.take(call.endpoint, call.subject)
  if (fault) logged.fault = fault.mode
  if (fault?.mode === 'errcode') {
    call.onInjectedErrcode?.(now)
    const errcode = fault.errcode ?? -1
    logged.errcode = errcode
    const body = wechatError(errcode, { ip: clientIp(request), flavor: call.flavor })
    return sendWechatJson(reply, call.flavor, body)
  }
  if (fault && fault.mode !== 'timeout') return sendTransportFault(ctx, reply, fault.mode)
  // A timeout still runs the call: WeChat did the work, only the answer is lost.
  const body = call.handle(now)
  const errcode = errcodeOf(body)
  if (errcode !== undefined) logged.errcode = errcode
  if (fault?.mode === 'timeout') return sendTransportFault(ctx, reply, 'timeout')
  return sendWechatJson(reply, call.flavor, body)
}

/**
 * Let every request body through as a string: WeChat answers bad bodies with errcodes (47001,
 * 41002), never with a framework's 400/415. Applies to the plugin it is called in only.
 */
export function acceptAnyBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))
}
