// A real HTTP receiver for webhook tests: answers with scripted status codes, after a delay or
// not at all (until released), records every request and how many it was serving at once, and
// can go down and come back on the same port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** When the request had been read in full. */
  at: number;
}

export class Receiver {
  readonly received: Received[] = [];
  private server?: Server;
  private held: ServerResponse[] = [];
  port = 0;
  /** Status codes to answer, in order; 200 once they run out. */
  script: number[] = [];
  /** Answer each request this long after reading it. */
  delayMs = 0;
  /** Answer nothing until `release()` (a receiver that hangs). */
  hang = false;
  /** Requests being served right now, and the most ever served at once. */
  inFlight = 0;
  maxInFlight = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body, at: Date.now() });
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      let done = false;
      const answer = () => {
        if (done) return;
        done = true;
        this.inFlight--;
        if (res.destroyed) return;
        res.statusCode = this.script.shift() ?? 200;
        res.end('ok');
      };
      // The sender gave up (a time-out): the request is no longer being served.
      res.on('close', () => {
        if (!done) {
          done = true;
          this.inFlight--;
        }
      });
      if (this.hang) this.held.push(Object.assign(res, { answer }));
      else if (this.delayMs) setTimeout(answer, this.delayMs);
      else answer();
    });
  }

  /** Answers every held request and stops hanging. */
  release(): void {
    this.hang = false;
    for (const res of this.held.splice(0)) (res as ServerResponse & { answer: () => void }).answer();
  }

  async stop(): Promise<void> {
    this.release();
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  reset(): void {
    this.received.length = 0;
    this.script = [];
    this.delayMs = 0;
    this.hang = false;
    this.maxInFlight = this.inFlight;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/appraise`;
  }

  /** Deliveries after dropping duplicates by idempotency key, as a receiver would. */
  unique(): string[] {
    return [...new Set(this.received.map((r) => String(r.headers['idempotency-key'])))];
  }
}
