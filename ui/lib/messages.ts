// Server messages as the UI shows them. The API's messages are shared with the CLI and API
// clients, so they keep their `code spans` and their command-line advice ("`npx appraise cases`
// lists them"). The UI shows code spans as code and, where a sentence tells the reader to run a
// command, says what to do in the UI instead (by the error's code), or else names no command.

export interface Advice {
  text: string;
  /** A screen of the UI that does what the command would. */
  href?: string;
}

/** What to do in the UI instead of the command a message of this code names. */
export const UI_ADVICE: Readonly<Record<string, Advice>> = {
  APPRAISE_CASE_NOT_FOUND: { text: 'The Cases page lists the cases you can see.', href: '/cases' },
  APPRAISE_POLICY_NOT_FOUND: { text: 'The Policies page lists the published policies; a policy’s History tab lists its versions.', href: '/policies' },
  APPRAISE_API_UNAUTHORIZED: { text: 'Ask an administrator for a token.' },
  APPRAISE_POLICY_UNKNOWN_METRIC: { text: 'The Plugins page lists every metric.', href: '/plugins' },
  APPRAISE_POLICY_BAD_PARAMS: { text: 'The Plugins page lists each metric with its params.', href: '/plugins' },
  APPRAISE_IMPORT_UNKNOWN_KIND: { text: 'The Plugins page shows which plugins are in use, and why others are not.', href: '/plugins' },
};

/** A command to run: a code span starting with npx, npm or appraise, or such a command in plain text. */
const COMMAND = /`(?:npx|npm|appraise)\s[^`]*`|\bnpx appraise\b|\bnpm (?:start|run|install)\b/;
const COMMAND_SPANS = /`(?:npx|npm|appraise)\s[^`]*`/g;

/** The sentences of a message, split after `.`, `!` or `?` outside code spans. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && '.!?'.includes(c) && /\s/.test(text[i + 1] ?? '')) {
      out.push(text.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/**
 * The message for the UI, and the advice to show with it. A sentence naming a command is
 * replaced by the advice for the message's code when there is one (`There is no case 7.
 * \`npx appraise cases\` lists them.` → the Cases page); otherwise the command is named by what
 * it is (`Import them with the Appraise command line, then run the policies.`). A command in
 * parentheses inside a longer sentence is dropped alone.
 */
export function uiMessage(message: string, code?: string): { text: string; advice?: Advice } {
  const advice = code ? UI_ADVICE[code] : undefined;
  const kept: string[] = [];
  let dropped = false;
  for (const s of sentences(message)) {
    if (!COMMAND.test(s)) {
      kept.push(s);
      continue;
    }
    const without = s.replace(/\s*\((?:`[^`]*`|[^()`])*\b(?:npx|npm) [^()]*\)/g, '');
    if (without !== s && !COMMAND.test(without)) kept.push(without);
    else if (advice) dropped = true;
    else kept.push(s.replace(COMMAND_SPANS, 'the Appraise command line').replace(/\bnpx appraise(?: [a-z][\w-]*)*/g, 'the Appraise command line'));
  }
  const text = kept.join(' ');
  return dropped ? { text, advice } : { text };
}

export interface Span {
  code: boolean;
  text: string;
}

/** `There is no \`x\`.` → text, code `x`, text: a message's code spans, to render as <code>. */
export function codeSpans(text: string): Span[] {
  const out: Span[] = [];
  const re = /`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ code: false, text: text.slice(last, m.index) });
    out.push({ code: true, text: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ code: false, text: text.slice(last) });
  return out;
}
