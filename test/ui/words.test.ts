// The UI's vocabulary: engine states in plain words, ids through the policy's labels,
// conditions as an HR admin reads them, case events as sentences, and server messages without
// command-line advice.
import { describe, expect, it } from 'vitest';
import type { LeafExplanation, RuleExplanation } from '../../ui/api/types.ts';
import { conditionWords, factPhrase, valueWords } from '../../ui/lib/condition-words.ts';
import { actorWords, eventDetails, eventHeading, eventNote } from '../../ui/lib/event-words.ts';
import { codeSpans, sentences, uiMessage } from '../../ui/lib/messages.ts';
import { durationWords, humanizeId, labelFor, paramsInWords, pluginState, RULE_STATUS, ruleStatusSentence } from '../../ui/lib/words.ts';

const ENGINE_WORDS = /\b(fired|shadowed|indeterminate|inactive|blocked)\b/i;

describe('rule statuses in words', () => {
  it('each status has words that say what it means, none of them the engine word', () => {
    expect(Object.fromEntries(Object.entries(RULE_STATUS).map(([k, v]) => [k, v.label]))).toEqual({
      fired: 'met', 'not-fired': 'not met', indeterminate: 'could not be decided',
      shadowed: 'met, but a higher rule applied', blocked: 'met, but held back by another rule',
    });
    for (const s of Object.keys(RULE_STATUS) as RuleExplanation['status'][]) {
      expect(RULE_STATUS[s].label).not.toMatch(ENGINE_WORDS);
      expect(ruleStatusSentence({ status: s, reason: 'hitPolicy first: the higher-priority rule `pip` counts instead' })).not.toMatch(ENGINE_WORDS);
    }
  });

  it('names the higher rule from the engine reason, without backticks or "hitPolicy"', () => {
    expect(ruleStatusSentence({ status: 'shadowed', reason: 'hitPolicy first: the higher-priority rule `pip-low-csat` counts instead' }))
      .toBe('Its conditions were met, but the higher rule “pip-low-csat” applied instead (this policy applies only the first rule met).');
    expect(ruleStatusSentence({ status: 'blocked', reason: 'hitPolicy first: the higher-priority rule `pip` could not be decided, so this one does not count' }))
      .toBe('Its conditions were met, but it is held back: the higher rule “pip” could not be decided, and this policy applies only the first rule met.');
    expect(ruleStatusSentence({ status: 'fired', reason: 'the conditions hold and it is the first firing rule; the higher-priority rule `pip-sustained` could not be decided, and may apply instead once the missing data arrives' }))
      .toBe('Its conditions were met, so it applies. The higher rule “pip-sustained” could not be decided for lack of data; it may apply instead once the data arrives.');
    expect(ruleStatusSentence({ status: 'indeterminate', reason: 'a plugin error left a condition undecided' })).toMatch(/a plugin failed/);
    expect(ruleStatusSentence({ status: 'indeterminate', reason: 'insufficient data to decide a condition' })).toMatch(/not enough data/);
  });
});

describe('plugin states', () => {
  it('inactive is "ready" (loaded when first needed, or nothing to load), never a word that reads like disabled', () => {
    expect(pluginState('inactive', true)).toMatchObject({ label: 'ready', tone: 'ok', hint: expect.stringMatching(/loads the first time/) });
    expect(pluginState('inactive', false)).toMatchObject({ label: 'ready', hint: 'It has no code to load: what it contributes is ready to use.' });
    expect(pluginState('active', true)).toMatchObject({ label: 'active', tone: 'ok' });
    expect(pluginState('failed', true)).toMatchObject({ label: 'failed', tone: 'error' });
    expect(pluginState('disabled', true)).toMatchObject({ label: 'not in use', tone: 'error' });
  });
});

describe('ids through the policy labels', () => {
  it('a declared label wins; otherwise the id is read aloud', () => {
    expect(labelFor('customer-champion', { 'customer-champion': 'Customer champion of the quarter' })).toBe('Customer champion of the quarter');
    expect(labelFor('customer-champion', {})).toBe('Customer champion');
    expect(labelFor('customer-champion')).toBe('Customer champion');
    expect(humanizeId('buddy_shadowing')).toBe('Buddy shadowing');
    expect(humanizeId('fastStart')).toBe('Fast start');
    expect(humanizeId('CSAT-refresher')).toBe('CSAT refresher');
    expect(humanizeId('planDays')).toBe('Plan days');
  });

  it('params as label and value, ids through the labels', () => {
    expect(paramsInWords({ award: 'customer-champion', planDays: 45, remote: true, programmes: ['a-b', 'c'] }, { 'customer-champion': 'Customer champion' }))
      .toEqual([['Award', 'Customer champion'], ['Plan days', '45'], ['Remote', 'yes'], ['Programmes', 'A b, C']]);
  });

  it('durations in words', () => {
    expect(['365d', '180d', '2w', '4h', '90m', '45s'].map(durationWords)).toEqual(['365 days', '180 days', '2 weeks', '4 hours', '90 minutes', '45 seconds']);
  });
});

const leaf = (over: Partial<LeafExplanation>): LeafExplanation => ({
  kind: 'fact', operator: 'lessThan', threshold: 4.2, result: 'pass',
  left: { fact: 'csat', value: 3.91, status: 'ok', samples: 10, minSamples: 3, unit: 'score', window: { from: '2026-10-24T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' } },
  ...over,
});

describe('conditions as an admin reads them', () => {
  it('built-in facts in words, declared facts by the policy name', () => {
    expect(conditionWords(leaf({ operator: 'equal', threshold: false, left: { fact: 'history.pip.isActive', value: false, status: 'ok' } }))).toBe('has an active improvement plan: no');
    expect(conditionWords(leaf({ operator: 'greaterThanInclusive', threshold: 90, left: { fact: 'employee.tenureDays', value: 120, status: 'ok', unit: 'count' } }))).toBe('days with the company at least 90');
    expect(conditionWords(leaf({}))).toBe('csat below 4.2');
    expect(conditionWords(leaf({ left: { fact: 'csatLastQuarter', value: 4, status: 'ok' } }))).toBe('csat last quarter below 4.2');
    expect(conditionWords(leaf({ operator: 'greaterThan', threshold: 21600, left: { fact: 'firstResponse', value: 30000, status: 'ok', unit: 'duration' } }))).toBe('first response above 6h');
    expect(factPhrase('history.coaching.completed', { params: { window: '180d' } })).toBe('coaching cases opened in the last 180 days that are now completed');
    expect(factPhrase('history.pip.total')).toBe('improvement plan cases opened in the last 365 days');
    expect(factPhrase('employee.attributes', { path: '$.contract' })).toBe('attribute contract');
    expect(conditionWords(leaf({ name: 'Zufriedenheit sehr niedrig' }))).toBe('Zufriedenheit sehr niedrig (csat below 4.2)');
  });

  it('the value with its days and data points', () => {
    expect(valueWords(leaf({}))).toBe('was 3.91 · 24 Oct 2026 – 22 Nov 2026 · 10 data points (at least 3 needed)');
    expect(valueWords(leaf({ left: { fact: 'csat', value: undefined, status: 'insufficient', samples: 2 } }))).toBe('was no value · 2 data points');
  });
});

describe('case events as sentences', () => {
  it('a run opening a case says the rule was met, by which run', () => {
    const e = { event: 'opened', note: 'support-quality v1 rule pip-low-csat fired for 2026-11', data: { runId: 3, decisionId: 12 } };
    expect(eventHeading(e)).toBe('Opened');
    expect(eventNote(e)).toBe('The rule “pip-low-csat” of support-quality (version 1) was met for 2026-11.');
    expect(eventDetails(e)).toEqual([]);
    expect(actorWords('system:run-3')).toBe('Appraise (run #3)');
    expect(actorWords('ui-hr')).toBe('ui-hr');
  });

  it('transition data as sentences, instants kept for the time view', () => {
    const e = { event: 'transition', note: null, data: { action: 'schedule', scheduledFor: '2026-12-10T10:00:00.000Z' } };
    expect(eventHeading(e)).toBe('Session scheduled');
    expect(eventDetails(e)).toEqual([{ text: 'Coaching session on ', at: '2026-12-10T10:00:00.000Z' }]);
    const start = { event: 'transition', data: { action: 'start', goals: ['CSAT 4.0', 'two shadowing sessions'], dueAt: '2027-01-15', checkInEveryDays: 14 } };
    expect(eventHeading(start)).toBe('Plan started');
    expect(eventDetails(start)).toEqual([{ text: 'Goals: CSAT 4.0; two shadowing sessions' }, { text: 'Due ', at: '2027-01-15' }, { text: 'Check-ins every 14 days' }]);
    const superseded = { event: 'transition', note: 'superseded by PIP case 7', data: { action: 'supersede', supersededBy: 7 } };
    expect([eventHeading(superseded), eventNote(superseded), eventDetails(superseded)]).toEqual(['Replaced by an improvement plan', 'Replaced by improvement plan case #7.', []]);
    expect(eventDetails({ event: 'transition', data: { someWhen: '2026-12-10T10:00:00Z', extra: { a: 1 } } })).toEqual([{ text: 'Some when: ', at: '2026-12-10T10:00:00Z' }, { text: 'Extra: {"a":1}' }]);
  });
});

describe('server messages in the UI', () => {
  it('code spans become code; sentences split outside them', () => {
    expect(codeSpans('No policy `a. b` here.')).toEqual([{ code: false, text: 'No policy ' }, { code: true, text: 'a. b' }, { code: false, text: ' here.' }]);
    expect(sentences('No policy `a. b` here. Next one! Last')).toEqual(['No policy `a. b` here.', 'Next one!', 'Last']);
  });

  it('command-line advice is replaced by what to do in the UI, by code; the rest is kept', () => {
    expect(uiMessage('There is no case 7. `npx appraise cases` lists them.', 'APPRAISE_CASE_NOT_FOUND'))
      .toEqual({ text: 'There is no case 7.', advice: { text: 'The Cases page lists the cases you can see.', href: '/cases' } });
    expect(uiMessage('No policy `x` has been published. `npx appraise policies list` shows the published ones.', 'APPRAISE_POLICY_NOT_FOUND'))
      .toMatchObject({ text: 'No policy `x` has been published.', advice: { href: '/policies' } });
    expect(uiMessage('Send `Authorization: Bearer <token>`. Create a token with `npx appraise token create --role … --name …`.', 'APPRAISE_API_UNAUTHORIZED'))
      .toEqual({ text: 'Send `Authorization: Bearer <token>`.', advice: { text: 'Ask an administrator for a token.' } });
    expect(uiMessage('There are no employees yet. Import them with `npx appraise import employees`, then run the policies.'))
      .toEqual({ text: 'There are no employees yet. Import them with the Appraise command line, then run the policies.' });
    expect(uiMessage('no employee `e9` in the store; import employees first (npx appraise import employees <file>) or correct the id'))
      .toMatchObject({ text: 'no employee `e9` in the store; import employees first or correct the id' });
    expect(uiMessage('Write records through npx appraise import records, which checks every row.').text).toBe('Write records through the Appraise command line, which checks every row.');
    expect(uiMessage('Reload the policy, reapply your change and publish again.', 'APPRAISE_POLICY_STALE_VERSION')).toEqual({ text: 'Reload the policy, reapply your change and publish again.' });
  });
});
