/**
 * Connection and in-flight limits of the loopback API (issue 10): no registrable domain, nor
 * twenty of them, can hold enough sockets to keep an allowed site out.
 *
 * - In-flight requests (a socket that sent a request and waits for its answer, e.g. for consent)
 *   are capped per origin for allowed origins, per registrable domain for the others, and per
 *   lane overall; the unknown lane's total is far below the server's, so the allowed lane always
 *   has room. A request over a cap is refused at once and its socket closed.
 * - Sockets that sent nothing yet and idle keep-alive sockets are shed when the server nears its
 *   hard limit (`maxConnections`, beyond which Node drops new sockets unseen): a browser sends its
 *   request headers within milliseconds, so a socket silent for `freshGraceMs` is a slowloris.
 *   Node's own `headersTimeout` (checked every `connectionsCheckingInterval`) is the backstop.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ConsentLane } from '../consent/broker';
import { siteOf } from './site';

export interface ConnectionLimits {
  /** Node drops sockets beyond this (server.maxConnections). */
  maxConnections: number;
  /** Above this many sockets, silent and idle ones are shed. */
  shedAbove: number;
  /** A socket silent this long after connecting is shed under pressure. */
  freshGraceMs: number;
  /** In-flight requests per allowed origin / for all allowed origins. */
  perAllowedOrigin: number;
  allowedTotal: number;
  /** In-flight requests per registrable domain of origins not allowed yet / for all of them. */
  perUnknownSite: number;
  unknownTotal: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 512,
  shedAbove: 384,
  freshGraceMs: 1_000,
  perAllowedOrigin: 16,
  allowedTotal: 192,
  perUnknownSite: 4,
  unknownTotal: 64,
};

/** Sockets kept free below maxConnections for new arrivals (see shedOldestSilent). */
const HEADROOM = 32;

interface SocketState {
  connectedAt: number;
  /** Requests seen on this socket. */
  requests: number;
  /** Requests on it not answered yet (pipelining allows several). */
  active: number;
}

export class ConnectionGuard {
  private readonly sockets = new Map<Socket, SocketState>();
  private readonly inFlight = new Map<string, number>();
  private laneTotals: Record<ConsentLane, number> = { allowed: 0, unknown: 0 };
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly server: Server,
    readonly limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  ) {
    server.maxConnections = limits.maxConnections;
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, { connectedAt: Date.now(), requests: 0, active: 0 });
      socket.once('close', () => this.sockets.delete(socket));
      if (this.sockets.size > limits.shedAbove) this.shed();
      // Close to the hard limit, Node would drop the *next* socket — typically the allowed site
      // arriving after a flood. Make room by closing the oldest silent sockets instead, grace or
      // not: a flood's sockets are older than the request that must get through.
      if (this.sockets.size > limits.maxConnections - HEADROOM) this.shedOldestSilent(socket);
    });
    // Node emits 'drop' for a socket refused at maxConnections: make room for the next one.
    server.on('drop', () => this.shed());
  }

  /** Number of open sockets. */
  get connections(): number {
    return this.sockets.size;
  }

  /** A request started on `socket`; returns its end callback. */
  requestStarted(socket: Socket): () => void {
    const s = this.sockets.get(socket);
    if (!s) return () => undefined;
    s.requests++;
    s.active++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      s.active--;
    };
  }

  /**
   * Take an in-flight slot for a request from `origin` in `lane`; returns its release function,
   * or undefined when a cap is reached (refuse the request and close its socket).
   */
  acquire(origin: string, lane: ConsentLane): (() => void) | undefined {
    const key = lane === 'allowed' ? `o:${origin}` : `s:${siteOf(origin)}`;
    const cap = lane === 'allowed' ? this.limits.perAllowedOrigin : this.limits.perUnknownSite;
    const total = lane === 'allowed' ? this.limits.allowedTotal : this.limits.unknownTotal;
    const n = this.inFlight.get(key) ?? 0;
    if (n >= cap || this.laneTotals[lane] >= total) return undefined;
    this.inFlight.set(key, n + 1);
    this.laneTotals[lane]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
      this.laneTotals[lane]--;
    };
  }

  /** Close sockets that are idle (keep-alive between requests) or silent since they connected. */
  shed(): void {
    const now = Date.now();
    for (const [socket, s] of this.sockets) {
      if (this.sockets.size <= this.limits.shedAbove) break;
      const silent = s.requests === 0 && now - s.connectedAt >= this.limits.freshGraceMs;
      const idle = s.requests > 0 && s.active === 0;
      if (silent || idle) this.drop(socket);
    }
    // Silent sockets younger than the grace period may be shed on a later pass.
    if (this.sockets.size > this.limits.shedAbove && !this.sweeper) {
      this.sweeper = setTimeout(() => {
        this.sweeper = undefined;
        this.shed();
      }, this.limits.freshGraceMs / 2);
      this.sweeper.unref();
    }
  }

  /** Close silent sockets, oldest first (Map order is connection order), down to the headroom. */
  private shedOldestSilent(except: Socket): void {
    for (const [socket, s] of this.sockets) {
      if (this.sockets.size <= this.limits.maxConnections - HEADROOM) break;
      if (socket !== except && s.requests === 0) this.drop(socket);
    }
  }

  /** Forget then destroy: 'close' comes later, and the shedding loops count what is left. */
  private drop(socket: Socket): void {
    this.sockets.delete(socket);
    socket.destroy();
  }

  close(): void {
    if (this.sweeper) clearTimeout(this.sweeper);
  }
}
