// Sends one email over SMTP with nodemailer and tells the outbox what happened, in the terms of
// core/plugins/api.ts: resolved once the server accepted the message; a connection lost or a
// time-out after the message was sent is APPRAISE_WORKFLOW_OUTCOME_UNKNOWN (it may have arrived,
// and the retry carries the same Message-ID); a permanent refusal (5xx) is `permanent` (dead at
// once); anything before the message was sent is `failed` (retried). Messages never carry the
// password: they go through redactSecrets.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { redactSecrets } from '../config/secrets.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { SmtpSettings } from './settings.ts';

const REFUSED: ErrorCode = 'APPRAISE_NOTIFY_REFUSED';
const UNKNOWN: ErrorCode = 'APPRAISE_WORKFLOW_OUTCOME_UNKNOWN';

export interface Email {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  idempotencyKey: string;
}

export class SmtpError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(redactSecrets(message));
  }
}

/** `<hash.suffix@domain>`: the same for every attempt of one delivery to one reader. */
export function messageIdFor(idempotencyKey: string, reader: string, from: string): string {
  const h = (s: string) => createHash('sha256').update(s).digest('hex');
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'appraise.invalid';
  return `<${h(idempotencyKey).slice(0, 32)}.${h(reader).slice(0, 12)}@${domain}>`;
}

/** Sends `email`; resolves with the server's answer once it accepted it. */
export async function sendEmail(smtp: SmtpSettings & { pass?: string }, email: Email): Promise<string> {
  const timeoutMs = smtp.timeoutMs ?? 30_000;
  // nodemailer logs the end of the message stream ("<n bytes encoded mime message>"): from then
  // on the server may have the whole message, so a lost connection is an unknown outcome.
  let messageSent = false;
  const noop = () => {};
  const logger = {
    trace: noop, debug: noop, warn: noop, error: noop, fatal: noop,
    info: (entry: unknown) => {
      if ((entry as { tnx?: string; outByteCount?: number })?.tnx === 'message' && (entry as { outByteCount?: number }).outByteCount !== undefined) messageSent = true;
    },
  };
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port ?? (smtp.secure ? 465 : 25),
    secure: smtp.secure ?? false,
    requireTLS: smtp.requireTLS ?? false,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: logger as never,
  });
  const where = `${smtp.host}:${smtp.port ?? (smtp.secure ? 465 : 25)}`;
  try {
    const info = await transport.sendMail({
      from: email.from,
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      headers: { 'X-Appraise-Idempotency-Key': email.idempotencyKey },
    });
    return String(info.response ?? '');
  } catch (e) {
    const err = e as Error & { code?: string; responseCode?: number; command?: string; response?: string };
    const answer = err.response ? ` (${err.response})` : '';
    if (err.code === 'EAUTH') {
      throw new SmtpError(`${REFUSED}: the SMTP server ${where} did not accept the login of ${smtp.user ?? '(none)'}${answer}. Check notifications.smtp.user and the password it refers to.`, true);
    }
    if (err.responseCode && err.responseCode >= 500) {
      const what = err.command === 'RCPT TO' || err.code === 'EENVELOPE' ? `refused the recipient ${email.to}` : `refused the message`;
      throw new SmtpError(`${REFUSED}: the SMTP server ${where} ${what} permanently${answer}. Check the address; retrying will not help.`, true);
    }
    if (messageSent && !err.responseCode) {
      throw new SmtpError(`${UNKNOWN}: the connection to the SMTP server ${where} ended after the message to ${email.to} was sent and before the server answered (${err.message}); it may have been delivered. The retry carries the same Message-ID ${email.messageId}.`, false);
    }
    throw new SmtpError(`the SMTP server ${where} did not take the message to ${email.to}: ${err.message}${err.responseCode ? '' : answer}. Not sent; it will be retried.`, false);
  } finally {
    transport.close();
  }
}
