/**
 * Pointing a client that hardcodes `https://api.weixin.qq.com` at the simulator the way DNS and a
 * TLS terminator in front of it would: its HTTPS requests keep their URL and Host header, and an
 * agent carries them over plain TCP to the simulator. The client's code is untouched; only where
 * its sockets connect changes.
 */
import { Agent } from 'node:https'
import { connect, type Socket } from 'node:net'

export class SimulatorAgent extends Agent {
  constructor(private readonly port: number) {
    super({ keepAlive: false })
  }

  /** Every connection goes to the simulator on 127.0.0.1, without TLS. */
  override createConnection(): Socket {
    return connect({ host: '127.0.0.1', port: this.port })
  }
}

/** The simulator's port from its base URL. */
export function portOf(base: string): number {
  return Number(new URL(base).port)
}

/** A browser opening `url` on the simulator: same path and query, the simulator's origin. */
export function onSimulator(url: string, base: string): string {
  const parsed = new URL(url)
  return `${base}${parsed.pathname}${parsed.search}${parsed.hash}`
}
