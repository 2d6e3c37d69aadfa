// One notice in a form every channel can render: the email plugin makes a subject, a plain-text
// and an HTML body of it; Slack makes Block Kit blocks; Teams an Adaptive Card. Templates
// (core/notifications/templates) produce it from an event; channels never see the raw case.

export interface NotificationMessage {
  /** The event it tells of: `case.opened`, `pip.proposed`, `review.self-assessment-due`, … */
  event: string;
  /** One line, plain words: "A performance improvement plan is proposed for Dana Reyes". */
  title: string;
  /** Plain text; paragraphs separated by a blank line. */
  text: string;
  /** Label and value pairs shown as a short list ("Policy": "Support agents (version 3)"). */
  facts: Array<{ label: string; value: string }>;
  /** Where to act on it in the admin UI, absolute when the config says where the UI is. */
  link?: { label: string; url: string };
  /** The delivery's idempotency key: an email's Message-ID, a chat message's dedupe key. */
  idempotencyKey: string;
}
