// A real SMTP server in the test process (smtp-server): it accepts messages and keeps what a
// reader would see (subject, plain text, HTML, recipients, Message-ID). A message counts as
// accepted only once the server answered 250 to it, as in SMTP itself: `hold` keeps the answer
// to DATA back until `release()`, and a client that goes away meanwhile has delivered nothing.
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  raw: string;
}

function unfoldHeaders(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, _cs, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')));
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return decodeQp(body);
  return body;
}

/** Subject, text and HTML of a nodemailer message (multipart/alternative or one part). */
export function parseMail(raw: string): Omit<ReceivedMail, 'from' | 'to' | 'raw'> {
  const split = raw.indexOf('\r\n\r\n');
  const headers = unfoldHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw.slice(0, split) + '\r\n\r\n' + body];
  for (const part of parts) {
    const p = part.replace(/^\r\n/, '');
    const i = p.indexOf('\r\n\r\n');
    const h = unfoldHeaders(p.slice(0, i));
    const content = decodeBody(h, p.slice(i + 4).replace(/\r\n$/, '')).replace(/\r\n/g, '\n');
    if ((h['content-type'] ?? '').startsWith('text/html')) html = content;
    else if ((h['content-type'] ?? '').startsWith('text/plain')) text = content;
  }
  return { messageId: headers['message-id'] ?? '', subject: decodeWords(headers.subject ?? ''), text, html, headers };
}

export class SmtpReceiver {
  readonly accepted: ReceivedMail[] = [];
  /** DATA transactions that ended with the client gone before the answer (nothing delivered). */
  readonly abandoned: ReceivedMail[] = [];
  /** Messages whose DATA was received, answered or not. */
  dataReceived = 0;
  hold = false;
  /** Answer every RCPT TO with this (e.g. 550) for the addresses listed. */
  rejectRecipients = new Set<string>();
  logins: Array<{ user: string; pass: string }> = [];
  private held: Array<() => void> = [];
  private server: SMTPServer;
  port = 0;
  /** The login the server accepts (changeable between tests); without it, none is needed. */
  auth?: { user: string; pass: string };

  constructor(o: { auth?: { user: string; pass: string } } = {}) {
    this.auth = o.auth;
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: !o.auth,
      allowInsecureAuth: true,
      logger: false,
      closeTimeout: 1000,
      onAuth: (auth, _session, cb) => {
        this.logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
        if (this.auth && (auth.username !== this.auth.user || auth.password !== this.auth.pass)) return cb(new Error('Authentication failed'));
        cb(null, { user: auth.username });
      },
      onRcptTo: (address, _session, cb) => {
        if (this.rejectRecipients.has(address.address)) {
          const e = new Error(`No such user ${address.address}`) as Error & { responseCode: number };
          e.responseCode = 550;
          return cb(e);
        }
        cb();
      },
      onData: (stream, session: SMTPServerSession, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            ...parseMail(raw),
          };
          this.dataReceived++;
          let closed = false;
          const conn = (this.server as unknown as { connections: Set<{ id: string; _socket: NodeJS.EventEmitter & { destroyed: boolean } }> }).connections;
          const mine = [...conn].find((c) => c.id === session.id);
          mine?._socket.once('close', () => {
            closed = true;
          });
          const answer = () => {
            if (closed || mine?._socket.destroyed) {
              this.abandoned.push(mail);
              return;
            }
            this.accepted.push(mail);
            cb(null, 'Queued');
          };
          if (this.hold) this.held.push(answer);
          else answer();
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** Answers the held DATA transactions (those whose client is still there get their 250). */
  release(): void {
    this.hold = false;
    for (const a of this.held.splice(0)) a();
  }

  /** Sessions still connected (a killed client's disappears once its socket closes). */
  get connections(): number {
    return (this.server as unknown as { connections: Set<unknown> }).connections.size;
  }

  get heldCount(): number {
    return this.held.length;
  }

  reset(): void {
    this.accepted.length = 0;
    this.abandoned.length = 0;
    this.dataReceived = 0;
    this.rejectRecipients.clear();
    this.logins = [];
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
