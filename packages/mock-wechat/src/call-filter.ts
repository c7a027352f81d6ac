/**
 * Who a simulated WeChat call is about, and the filters that pick calls by endpoint, appid and
 * openid (`POST /__mock/fail`, `POST /__mock/latency`, `DELETE /__mock/fail`).
 */

/** The app and user a call concerns, as far as the simulator can tell from the request. */
export interface CallSubject {
  appid?: string
  openid?: string
}

/** Selects calls: every field that is set must match; an empty filter matches every call. */
export interface CallFilter {
  endpoint?: string
  appid?: string
  openid?: string
}

/** Does a call of `endpoint` about `subject` pass `filter`? */
export function matchesCall(filter: CallFilter, endpoint: string, subject: CallSubject): boolean {
  if (filter.endpoint !== undefined && filter.endpoint !== endpoint) return false
  if (filter.appid !== undefined && filter.appid !== subject.appid) return false
  if (filter.openid !== undefined && filter.openid !== subject.openid) return false
  return true
}

/** How many fields the filter sets: a filter naming an openid is more specific than one naming none. */
export function specificity(filter: CallFilter): number {
  return [filter.endpoint, filter.appid, filter.openid].filter((v) => v !== undefined).length
}

/** Do two filters select exactly the same calls? */
export function sameFilter(a: CallFilter, b: CallFilter): boolean {
  return a.endpoint === b.endpoint && a.appid === b.appid && a.openid === b.openid
}

/** The filter fields of a value, without the others (undefined fields left out). */
export function filterOf(value: CallFilter): CallFilter {
  const filter: CallFilter = {}
  if (value.endpoint !== undefined) filter.endpoint = value.endpoint
  if (value.appid !== undefined) filter.appid = value.appid
  if (value.openid !== undefined) filter.openid = value.openid
  return filter
}
