// What the store holds about one person, table by table: the sections of a data-subject access
// export (GDPR Art. 15). Each section is one query over one table, so that a test can hold the
// list against the store's own catalogue: a table with a column naming a person that no section
// reads is a gap in the export, and the test says which.
//
// Rows are exported as the store keeps them (column names, JSON as JSON), never re-worded:
// what the person receives is what Appraise holds. Secrets are never exported (a token's hash).

/** One table's rows about the person. `where` has `$1` = the employee id. */
export interface Section {
  /** The key in the export (`cases`, `caseEvents`). */
  key: string;
  /** Plain words for the readable page. */
  title: string;
  table: string;
  where: string;
  /** Columns left out (secrets), and why in a comment where they are named. */
  omit?: string[];
  order: string;
  /** Columns of this table that name a person, read by `where` (the completeness test checks them). */
  personColumns: string[];
  /** Only counted in the readable page (records can run to thousands); the JSON holds them all. */
  summarise?: boolean;
}

const CASES = `SELECT id FROM cases WHERE employee_id = $1`;

export const SECTIONS: readonly Section[] = [
  { key: 'employee', title: 'Your employee record', table: 'employees', where: 'id = $1', order: 'id', personColumns: ['id'] },
  { key: 'reports', title: 'People who report to you (their ids only)', table: 'employees', where: 'manager_id = $1', order: 'id', personColumns: ['manager_id'] },
  { key: 'records', title: 'Records about your work (surveys, tickets, deals, trainings…)', table: 'records', where: 'employee_id = $1', order: 'kind, occurred_at, id', personColumns: ['employee_id'], summarise: true },
  { key: 'decisions', title: 'Decisions of the review policies, with their explanations', table: 'decisions', where: 'employee_id = $1', order: 'created_at, id', personColumns: ['employee_id'] },
  { key: 'suppressions', title: 'Outcomes that were decided but not acted on, and why', table: 'suppressions', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'exemptions', title: 'Exemptions from review policies', table: 'exemptions', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'cases', title: 'Cases (recognition, coaching, performance improvement plans)', table: 'cases', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'caseEvents', title: 'What happened in each case', table: 'case_events', where: `case_id IN (${CASES})`, order: 'case_id, id', personColumns: [] },
  { key: 'deliveries', title: 'Notices and workflow deliveries about your cases', table: 'outbox', where: `case_id IN (${CASES}) OR payload->'employee'->>'id' = $1`, order: 'id', personColumns: [] },
  { key: 'goals', title: 'Goals', table: 'goals', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'goalEvents', title: 'Changes to your goals', table: 'goal_events', where: 'goal_id IN (SELECT id FROM goals WHERE employee_id = $1)', order: 'goal_id, id', personColumns: [] },
  { key: 'reviews', title: 'Performance reviews', table: 'reviews', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'reviewsAsManager', title: 'Reviews you wrote as a manager', table: 'reviews', where: 'manager_id = $1 AND employee_id <> $1', order: 'id', personColumns: ['manager_id'] },
  { key: 'reviewEvents', title: 'What happened in your reviews', table: 'review_events', where: 'review_id IN (SELECT id FROM reviews WHERE employee_id = $1)', order: 'review_id, id', personColumns: [] },
  { key: 'disputes', title: 'Disputes you raised or that concern you', table: 'disputes', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'disputeEvents', title: 'What happened in those disputes', table: 'dispute_events', where: 'dispute_id IN (SELECT id FROM disputes WHERE employee_id = $1)', order: 'dispute_id, id', personColumns: [] },
  { key: 'kudosReceived', title: 'Kudos you received', table: 'kudos', where: 'receiver_id = $1', order: 'id', personColumns: ['receiver_id'] },
  { key: 'kudosGiven', title: 'Kudos you gave', table: 'kudos', where: 'giver_id = $1', order: 'id', personColumns: ['giver_id'] },
  { key: 'feedbackNotes', title: 'Feedback notes about you', table: 'feedback_notes', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'feedbackNotesWritten', title: 'Feedback notes you wrote', table: 'feedback_notes', where: 'author_id = $1 AND employee_id <> $1', order: 'id', personColumns: ['author_id'] },
  // Anonymous upward feedback keeps no author (author_id is null): the manager receives its
  // text, and the author's own export cannot find it — anonymity holds both ways.
  { key: 'upwardFeedbackReceived', title: 'Upward feedback about you as a manager', table: 'upward_feedback', where: 'manager_id = $1', order: 'id', personColumns: ['manager_id'] },
  { key: 'upwardFeedbackGiven', title: 'Upward feedback you gave under your name', table: 'upward_feedback', where: 'author_id = $1', order: 'id', personColumns: ['author_id'] },
  { key: 'feedbackEvents', title: 'What happened to that feedback', table: 'feedback_events', where: `(subject = 'kudos' AND subject_id IN (SELECT id FROM kudos WHERE receiver_id = $1 OR giver_id = $1))
      OR (subject = 'note' AND subject_id IN (SELECT id FROM feedback_notes WHERE employee_id = $1 OR author_id = $1))
      OR (subject = 'upward' AND subject_id IN (SELECT id FROM upward_feedback WHERE manager_id = $1 OR author_id = $1))`, order: 'id', personColumns: [] },
  { key: 'notificationsSent', title: 'Notices sent to you (email, digests), and those held or skipped', table: 'notifications_sent', where: 'employee_id = $1', order: 'id', personColumns: ['employee_id'] },
  { key: 'notificationPreferences', title: 'Your choices about notices', table: 'notification_preferences', where: 'employee_id = $1', order: 'employee_id', personColumns: ['employee_id'] },
  { key: 'sourceIdentities', title: 'Your accounts in connected systems (help desk, CRM) matched to you', table: 'source_identities', where: 'employee_id = $1', order: 'source_name, vendor_id', personColumns: ['employee_id'] },
  // The token's hash is a credential: never exported.
  { key: 'tokens', title: 'Sign-in tokens issued to you (never their secrets)', table: 'api_tokens', where: 'employee_id = $1', omit: ['token_hash'], order: 'id', personColumns: ['employee_id'] },
];

/**
 * Columns that name a person in tables whose rows are not about that person as such: the actor
 * of an event (a user name, not an employee id), or the manager a review had (covered above).
 * The completeness test skips these.
 */
export const NOT_PERSONAL_COLUMNS: ReadonlySet<string> = new Set(['case_events.actor', 'goal_events.actor', 'dispute_events.actor', 'review_events.actor', 'feedback_events.actor', 'audit_log.actor', 'imports.actor', 'policy_versions.author', 'feedback_notes.author', 'upward_feedback.author']);
