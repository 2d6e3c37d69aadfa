// Every error code a user can meet, in one registry (as fastify's lib/errors.js). A code is
// never reused for a different problem; test/diagnostics/codes.test.ts checks that each one
// is documented in ERRORS.md and used somewhere in core/.

export const ERROR_CODES = {
  // Files and YAML
  APPRAISE_FILE_UNREADABLE: 'The file could not be read.',
  APPRAISE_FILE_TOO_LARGE: 'The file is larger than the limit for its kind.',
  APPRAISE_YAML_SYNTAX: 'The text is not valid YAML.',
  APPRAISE_YAML_TAB: 'A tab is used for indentation; YAML allows spaces only.',
  APPRAISE_YAML_DUPLICATE_KEY: 'A mapping has the same key twice.',
  APPRAISE_YAML_ALIAS_LIMIT: 'Too many or too deeply expanded aliases (a possible alias bomb).',
  APPRAISE_YAML_UNSAFE_KEY: 'A key such as __proto__ or constructor that could alter objects.',
  APPRAISE_YAML_TOO_DEEP: 'The document nests deeper than the limit.',
  APPRAISE_YAML_MULTIPLE_DOCUMENTS: 'The file holds more than one YAML document.',

  // Shape (JSON Schema)
  APPRAISE_SCHEMA_UNKNOWN_KEY: 'A key that the schema does not define at this place.',
  APPRAISE_SCHEMA_MISSING_FIELD: 'A required field is missing.',
  APPRAISE_SCHEMA_WRONG_TYPE: 'A value has the wrong type.',
  APPRAISE_SCHEMA_INVALID_VALUE: 'A value is outside what the schema allows (enum, pattern, range).',

  // Policy semantics
  APPRAISE_POLICY_BAD_OUTCOME: 'A rule outcome is not recognition, coaching or pip.',
  APPRAISE_POLICY_BAD_DURATION: 'A duration is not a literal such as 15m, 4h, 90d or 2w.',
  APPRAISE_POLICY_BAD_PRIORITY: 'A rule priority is not an integer of at least 1.',
  APPRAISE_POLICY_BAD_SCHEDULE: 'A schedule is not a valid cron expression.',
  APPRAISE_POLICY_EMPTY_CONDITION: 'An all/any list is empty; json-rules-engine would read it as true or false silently.',
  APPRAISE_POLICY_CONDITION_TOO_DEEP: 'Conditions nest deeper than the limit.',
  APPRAISE_POLICY_UNKNOWN_FACT: 'A condition names a fact that is neither declared nor built in.',
  APPRAISE_POLICY_UNKNOWN_METRIC: 'A fact names a metric that no plugin contributes.',
  APPRAISE_POLICY_UNKNOWN_OPERATOR: 'A condition uses an operator that nobody contributes.',
  APPRAISE_POLICY_UNKNOWN_WORKFLOW: 'A rule names a workflow that no plugin contributes.',
  APPRAISE_POLICY_UNKNOWN_CONDITION: 'A condition reference names a shared condition that does not exist.',
  APPRAISE_POLICY_CONDITION_CYCLE: 'Shared conditions refer to each other in a cycle.',
  APPRAISE_POLICY_DUPLICATE_ID: 'Two policy files have the same metadata.id.',
  APPRAISE_POLICY_DUPLICATE_RULE: 'Two rules have the same id.',
  APPRAISE_POLICY_DUPLICATE_TEST: 'Two policy tests have the same name.',
  APPRAISE_POLICY_UNIT_MISMATCH: 'A value is compared in the wrong unit (e.g. a duration with a bare number).',
  APPRAISE_POLICY_OUT_OF_RANGE: "A threshold lies outside the metric's range, so the condition could never change.",
  APPRAISE_POLICY_TYPE_MISMATCH: 'An operator is used with a value of a type it cannot compare.',
  APPRAISE_POLICY_BAD_PATH: 'A path is malformed or used on a fact that is not an object.',
  APPRAISE_POLICY_BAD_PARAMS: "A fact's params do not match the metric's params schema.",
  APPRAISE_POLICY_UNUSED_FACT: 'A declared fact is not used by any rule.',
  APPRAISE_POLICY_UNUSED_LABEL: "A label in spec.labels names an id that no rule's params use, so it is never shown.",
  APPRAISE_POLICY_TEST_UNKNOWN_RULE: 'A policy test expects a rule id that the policy does not have.',
  APPRAISE_POLICY_TEST_UNKNOWN_FACT: 'A policy test gives a value for a fact the policy does not use.',
  APPRAISE_POLICY_TEST_NO_POLICY: 'A *.test.yaml file has no policy beside it with the id it names.',

  APPRAISE_POLICY_STALE_VERSION: 'A publish was based on a version that is no longer the latest (another admin published in between).',
  APPRAISE_POLICY_NOT_FOUND: 'No published policy (or version) with that id.',
  APPRAISE_POLICY_INVALID: 'A policy text has errors and cannot be published.',

  // Plugins
  APPRAISE_PLUGIN_MANIFEST: 'A plugin package.json is not a valid manifest.',
  APPRAISE_PLUGIN_ENGINE_MISMATCH: "A plugin's engines.appraise range does not include this Appraise's plugin API version.",
  APPRAISE_PLUGIN_MAIN_NOT_FOUND: "A plugin's main entry file does not exist.",
  APPRAISE_PLUGIN_BAD_SCHEMA: 'A record kind, params or configuration schema cannot be read or compiled.',
  APPRAISE_PLUGIN_DUPLICATE_CONTRIBUTION: 'Two contributions have the same id.',
  APPRAISE_PLUGIN_DUPLICATE_ID: 'Two plugin folders declare the same plugin id.',
  APPRAISE_PLUGIN_NO_IMPLEMENTATION: 'A metric has no aggregate and the plugin has no code to implement it.',
  APPRAISE_PLUGIN_UNKNOWN_RECORD_KIND: 'A metric reads a record kind that neither its plugin nor a dependency contributes.',
  APPRAISE_PLUGIN_MISSING_DEPENDENCY: 'A plugin depends on a plugin that is absent, disabled or of a version outside the range.',
  APPRAISE_PLUGIN_DEPENDENCY_CYCLE: 'Plugins depend on each other in a cycle.',
  APPRAISE_PLUGIN_BAD_SETTINGS: "A plugin's settings in the config do not match its configuration schema.",
  APPRAISE_PLUGIN_ACTIVATION_FAILED: "A plugin's activate() threw or its module could not be loaded.",
  APPRAISE_PLUGIN_UNDECLARED_REGISTRATION: 'Code registered a contribution id that the manifest does not declare.',
  APPRAISE_PLUGIN_UNREGISTERED_CONTRIBUTION: 'The manifest declares a code contribution that activate() did not register.',
  APPRAISE_PLUGIN_METRIC_FAILED: 'A metric implementation threw or returned something that is not a finite number.',
  APPRAISE_PLUGIN_TIMEOUT: 'A call into a plugin ran past its time limit and was stopped.',
  APPRAISE_PLUGIN_CRASHED: "A plugin's host process crashed.",
  APPRAISE_PLUGIN_DISABLED: 'A plugin was disabled after crashing repeatedly.',
  APPRAISE_PLUGIN_OPERATOR_FAILED: 'A custom operator threw or returned something that is not a boolean.',
  APPRAISE_PLUGIN_CHECK: 'plugin check found a problem in the plugin code.',

  // Imports
  APPRAISE_IMPORT_BAD_FILE: 'An import file cannot be read as CSV or NDJSON, or its header is unusable.',
  APPRAISE_IMPORT_BAD_MAPPING: 'A column mapping refers to a column, field, zone or format that does not exist.',
  APPRAISE_IMPORT_UNKNOWN_KIND: 'The record kind to import is contributed by no plugin, or its short name is ambiguous.',
  APPRAISE_IMPORT_INVALID_ROW: "A row of an import file does not fit its target's schema (type, range, date, required field).",
  APPRAISE_IMPORT_UNKNOWN_EMPLOYEE: 'A record names an employee id that is not in the store.',
  APPRAISE_IMPORT_DUPLICATE_EMPLOYEE: 'An employees file holds the same id twice with different values.',
  APPRAISE_IMPORT_UNSTORABLE_TEXT: 'A value or column name of an import holds a NUL character or half of a surrogate pair, which the store cannot keep.',
  APPRAISE_IMPORT_OVER_LIMIT: 'An import file or row goes past a limit: columns, attributes, payload fields, characters of a value, nesting.',

  // Cases and workflows
  APPRAISE_CASE_NOT_FOUND: 'No case with that id.',
  APPRAISE_CASE_ILLEGAL_TRANSITION: "The action is not allowed from the case's current status.",
  APPRAISE_CASE_NOTE_REQUIRED: 'The action needs a note saying why.',
  APPRAISE_CASE_MISSING_FIELD: 'The action needs a field it was not given (a date, goals, a check-in interval).',
  APPRAISE_CASE_PIP_IN_FORCE: 'The employee already has a PIP in force; a second one cannot start.',
  APPRAISE_CASE_PLAN_INCOMPLETE: 'A PIP without its plan (goals, end date, check-ins, support) cannot be acknowledged; HR sets the plan first.',
  APPRAISE_CASE_FORBIDDEN: 'The user may not take this action on this case.',
  APPRAISE_CASE_UNKNOWN_ACTION: 'An action that no case lifecycle (or not this case type) has.',
  APPRAISE_CASE_UNKNOWN_STATUS: 'A status filter names a status that no case (or no case of the type) can be in.',
  APPRAISE_CASE_UNKNOWN_TYPE: 'A case type (or outcome) other than recognition, coaching or pip.',
  APPRAISE_CASE_UNKNOWN_SORT: 'The case list was asked to sort by a key it does not sort by.',
  APPRAISE_EMPLOYEE_NOT_FOUND: 'No employee with that id in the store.',
  APPRAISE_GROUP_NOT_FOUND: 'The dashboard was asked for a team or department that has no chartable metric among the people the caller may see.',
  APPRAISE_WORKFLOW_HOST_NOT_ALLOWED: "A webhook URL's host is not in the allow-list; nothing was sent.",
  APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: 'A delivery attempt got no answer in time, or lost its connection after sending: it may have been delivered.',
  APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG: "A workflow's timeout is longer than the plugin call limit (plugins.timeoutMs), which the host could not honour.",
  APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK: 'Webhooks would go out unsigned: no secret is configured and `unsigned: true` is not set.',
  APPRAISE_OUTBOX_NOT_FOUND: 'No outbox delivery with that id.',

  // API
  APPRAISE_API_UNAUTHORIZED: 'The request has no valid bearer token.',
  APPRAISE_API_FORBIDDEN: "The token's role may not do this, or the thing is outside its reporting line.",
  APPRAISE_API_NOT_FOUND: 'No such route or resource.',
  APPRAISE_API_BAD_REQUEST: 'The request body, query or parameters are invalid.',
  APPRAISE_API_TOO_LARGE: 'The request body is larger than the limit.',
  APPRAISE_API_RATE_LIMITED: 'Too many failed sign-ins from this address; wait and retry.',
  APPRAISE_API_INTERNAL: 'An unexpected error; it was logged. Nothing was changed.',
  APPRAISE_API_TOO_MANY_REQUESTS: 'Too many expensive requests from one token; wait for Retry-After and try again.',
  APPRAISE_TOKEN_EXPIRED: "The bearer token's expiry has passed; it signs nobody in.",
  APPRAISE_TOKEN_INVALID: "A new token's name, role, employee or expiry cannot be used.",
  APPRAISE_TOKEN_NOT_FOUND: 'No API token with that id.',
  APPRAISE_INPUT_UNSTORABLE_TEXT: 'Text holds a NUL character or a broken surrogate pair, which the store cannot keep.',
  APPRAISE_DATE_INVALID: 'A date is not YYYY-MM-DD or an ISO 8601 instant, or names a day that does not exist.',
  APPRAISE_DATE_OUT_OF_RANGE: 'A date lies outside 1900-01-01 to 9999-12-31.',

  // Store and processes
  APPRAISE_STORE_BUSY: 'Another Appraise process owns the embedded store and keeps it to itself until it finishes.',
  APPRAISE_STORE_OWNER_GONE: 'The process that owns the embedded store stopped while this one was using it through it.',
  APPRAISE_STORE_PERMISSION_DENIED: 'This user may not read or write the store folder.',
  APPRAISE_STORE_FOLDER_INVALID: 'The store folder is a file, or a file stands where one of the folders above it should be.',
  APPRAISE_STORE_UNREACHABLE: 'The PostgreSQL server named by DATABASE_URL does not answer.',
  APPRAISE_STORE_DATABASE_MISSING: 'The database named by DATABASE_URL does not exist on its server.',
  APPRAISE_STORE_LOGIN_FAILED: 'PostgreSQL refused the user or password in DATABASE_URL.',
  APPRAISE_RUN_IN_PROGRESS: 'A run of the same policy is in progress; a second one is refused rather than run alongside it.',
  APPRAISE_RUN_FIELD_MISSING: "A fact has no data for anyone because no stored record of its kind has a field its formula reads (a warning).",
  APPRAISE_SERVER_PORT_IN_USE: 'The port the server should listen on is taken by another program.',
  APPRAISE_DEMO_LOAD_FAILED: 'Preparing a new store for `start` (the shipped policies and the demo organisation) failed.',
  APPRAISE_UNEXPECTED: 'An unexpected failure in the command; one line was printed and the details logged.',

  // Config
  APPRAISE_CONFIG_NOT_FOUND: 'The config file named with --config does not exist.',

  // Business-hours calendars (calendars in appraise.config.yaml)
  APPRAISE_CALENDAR_UNKNOWN_ZONE: 'A calendar names a time zone that does not exist.',
  APPRAISE_CALENDAR_BAD_WEEKDAY: 'A key of a calendar\'s hours is not a weekday or range of weekdays, or names a weekday given already.',
  APPRAISE_CALENDAR_BAD_RANGE: 'A range of working hours is not HH:MM-HH:MM, names a time that does not exist, or is empty.',
  APPRAISE_CALENDAR_OVERLAP: 'Two ranges of working hours overlap, in one day or across midnight.',
  APPRAISE_CALENDAR_BAD_HOLIDAY: 'A holiday is not a YYYY-MM-DD date, or is listed twice.',
  APPRAISE_CALENDAR_UNDEFINED: 'calendars.default or an assign rule names a calendar that is not defined.',
  APPRAISE_CALENDAR_BAD_ASSIGN: 'A calendars.assign rule names no team, location or department.',

  // Command line
  APPRAISE_USAGE: 'The command was called with wrong arguments.',
  APPRAISE_NO_FILES: 'No policy files were found at the given paths.',
  APPRAISE_BAD_FACTS: 'The facts given on the command line are not a JSON object.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
