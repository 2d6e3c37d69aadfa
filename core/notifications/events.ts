// The notices Appraise can send, as data: which outbox event (and case) each one tells of, who
// hears it unless the rule says, whether it is essential, and the variables its template may
// use. Templates are checked against this list when they are loaded, so that a placeholder
// naming a variable the notice does not provide is an error at its line, not a blank in an email.

export type Audience = 'employee' | 'manager' | 'hr';
export const AUDIENCES: readonly Audience[] = ['employee', 'manager', 'hr'];

export interface VariableDoc {
  name: string;
  description: string;
  /** A list: a section `{{#name}}…{{/name}}` repeats for each item; `{{.}}` is the item itself. */
  list?: boolean;
  /** A yes/no: a section `{{#name}}…{{/name}}` shows only when it is true. */
  flag?: boolean;
}

export interface NoticeDef {
  id: string;
  title: string;
  /** The outbox event that carries it (`case.opened` carries both case.opened and pip.proposed). */
  outboxEvent: string;
  /** Who receives it when the rule's `email.send` config names nobody (the template may say otherwise). */
  to: Audience[];
  /** Essential notices reach people who opted out, and never wait for a digest. */
  essential: boolean;
  variables: VariableDoc[];
}

/** What every notice can use. */
export const COMMON_VARIABLES: VariableDoc[] = [
  { name: 'recipient.name', description: 'The name of the person reading it ("HR" for the HR address list).' },
  { name: 'recipient.audience', description: 'employee, manager or hr: why this person receives it.' },
  { name: 'forEmployee', description: 'Yes when the reader is the employee the notice is about.', flag: true },
  { name: 'forManager', description: 'Yes when the reader is the employee\'s manager.', flag: true },
  { name: 'forHr', description: 'Yes when the reader is HR.', flag: true },
  { name: 'employee.id', description: 'The employee\'s id.' },
  { name: 'employee.name', description: 'The employee\'s full name.' },
  { name: 'employee.firstName', description: 'The first word of the employee\'s name.' },
  { name: 'employee.team', description: 'The employee\'s team (may be empty).' },
  { name: 'employee.role', description: 'The employee\'s role (may be empty).' },
  { name: 'manager.name', description: 'The employee\'s manager (may be empty).' },
  { name: 'link', description: 'Where to act on it in Appraise: an absolute address when notifications.publicUrl is set.' },
];

const CASE_VARIABLES: VariableDoc[] = [
  { name: 'case.id', description: 'The case number.' },
  { name: 'case.kind', description: 'The kind of case in plain words: recognition, coaching, performance improvement plan.' },
  { name: 'case.status', description: 'The case\'s status when the notice was queued.' },
  { name: 'case.openedOn', description: 'The day the case was opened, in the reader\'s time zone.' },
  { name: 'policy.id', description: 'The policy that opened the case.' },
  { name: 'policy.version', description: 'Its version.' },
  { name: 'rule.id', description: 'The rule of the policy that fired.' },
  { name: 'period', description: 'The review period the case belongs to (2026-Q4).' },
];

const PLAN_VARIABLES: VariableDoc[] = [
  { name: 'plan.goals', description: 'The plan\'s goals, one per item (`{{#plan.goals}}- {{.}}{{/plan.goals}}`).', list: true },
  { name: 'plan.dueDate', description: 'The day the plan ends, in the reader\'s time zone.' },
  { name: 'plan.checkInEveryDays', description: 'Days between check-ins.' },
  { name: 'plan.support', description: 'The support offered.' },
];

export const NOTICES: NoticeDef[] = [
  {
    id: 'case.opened', title: 'Case opened (recognition or coaching)', outboxEvent: 'case.opened', to: ['employee', 'manager'], essential: false,
    variables: [...COMMON_VARIABLES, ...CASE_VARIABLES,
      { name: 'isRecognition', description: 'Yes for a recognition.', flag: true },
      { name: 'isCoaching', description: 'Yes for coaching.', flag: true }],
  },
  {
    id: 'pip.proposed', title: 'PIP proposed to HR', outboxEvent: 'case.opened', to: ['hr'], essential: true,
    variables: [...COMMON_VARIABLES, ...CASE_VARIABLES,
      { name: 'needsApproval', description: 'Yes when HR must approve the plan before it goes ahead.', flag: true }],
  },
  {
    id: 'pip.plan', title: 'PIP plan to the employee', outboxEvent: 'pip.approved', to: ['employee', 'manager'], essential: true,
    variables: [...COMMON_VARIABLES, ...CASE_VARIABLES, ...PLAN_VARIABLES],
  },
  {
    id: 'coaching.scheduled', title: 'Coaching scheduled', outboxEvent: 'coaching.scheduled', to: ['employee', 'manager'], essential: false,
    variables: [...COMMON_VARIABLES, ...CASE_VARIABLES,
      { name: 'coaching.when', description: 'The date and time of the session, in the reader\'s time zone.' }],
  },
  {
    id: 'pip.checkin-due', title: 'PIP check-in due', outboxEvent: 'pip.checkin-due', to: ['manager', 'employee'], essential: false,
    variables: [...COMMON_VARIABLES, ...CASE_VARIABLES, ...PLAN_VARIABLES,
      { name: 'checkIn.dueOn', description: 'The day the check-in is due, in the reader\'s time zone.' }],
  },
  {
    id: 'review.self-assessment-due', title: 'Review self-assessment due', outboxEvent: 'review.self-assessment-due', to: ['employee'], essential: false,
    variables: [...COMMON_VARIABLES,
      { name: 'review.id', description: 'The review number.' },
      { name: 'cycle.id', description: 'The review cycle (2026-Q4).' },
      { name: 'cycle.title', description: 'The cycle\'s title.' },
      { name: 'review.selfAssessmentDue', description: 'When the self-assessment is due, in the reader\'s time zone.' }],
  },
  {
    id: 'dispute.resolved', title: 'Dispute resolved', outboxEvent: 'dispute.resolved', to: ['employee'], essential: true,
    variables: [...COMMON_VARIABLES,
      { name: 'dispute.id', description: 'The dispute number.' },
      { name: 'dispute.about', description: 'What was disputed, in words ("PIP #12", "the rating of Quality in review 4").' },
      { name: 'dispute.outcome', description: 'upheld, amended or overturned.' },
      { name: 'dispute.note', description: 'HR\'s note on the decision.' },
      { name: 'dispute.resolvedOn', description: 'The day it was resolved, in the reader\'s time zone.' },
      { name: 'isUpheld', description: 'Yes when the decision stands.', flag: true },
      { name: 'isAmended', description: 'Yes when it was corrected.', flag: true },
      { name: 'isOverturned', description: 'Yes when it was overturned.', flag: true }],
  },
];

export const NOTICE_IDS = NOTICES.map((n) => n.id);

export function noticeDef(id: string): NoticeDef | undefined {
  return NOTICES.find((n) => n.id === id);
}

/** The notice an outbox event tells of, or undefined for events that have none (case.overturned, …). */
export function noticeOf(event: string, payload: { case?: Record<string, unknown> }): string | undefined {
  if (event === 'case.opened') return payload.case?.type === 'pip' ? 'pip.proposed' : 'case.opened';
  return NOTICES.find((n) => n.outboxEvent === event && n.id !== 'case.opened' && n.id !== 'pip.proposed')?.id;
}
