// A real HTTP receiver for webhook tests: answers with scripted status codes, records every
// request, and can go down and come back on the same port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class Receiver {
  readonly received: Received[] = [];
  private server?: Server;
  port = 0;
  /** Status codes to answer, in order; 200 once they run out. */
  script: number[] = [];

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        res.statusCode = this.script.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/appraise`;
  }

  /** Deliveries after dropping duplicates by idempotency key, as a receiver would. */
  unique(): string[] {
    return [...new Set(this.received.map((r) => String(r.headers['idempotency-key'])))];
  }
}
