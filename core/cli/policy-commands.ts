// `validate`, `test` and `explain`: the policy author's commands. Each parses its arguments,
// calls one core function and formats the result.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { loadConfig, type AppConfig } from '../config/config.ts';
import { pluginSetFromConfig } from '../plugins/host-from-config.ts';
import type { PluginSet } from '../plugins/discovery.ts';
import type { Registry } from '../registry/registry.ts';
import { loadWorkspace } from '../policy/workspace.ts';
import { loadPolicyFile } from '../policy/load.ts';
import { analysisDiagnostics } from '../analysis/diagnostics.ts';
import { runPolicyTests, factsFromValues, type TestCaseResult } from '../policy/run-tests.ts';
import { compilePolicy } from '../evaluate/compile.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import { explainInWords } from '../evaluate/explain-text.ts';
import { junitXml } from '../policy/junit.ts';
import { coverageReport, policyCoverage, type CoverageReport, type PolicyCoverage } from '../policy/coverage.ts';
import { coverageText, formatPercent } from '../policy/coverage-text.ts';
import type { EmployeeFacts } from '../evaluate/facts.ts';
import type { PolicyTest } from '../policy/types.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';

export interface CliContext {
  config: AppConfig;
  /** The discovered plugins (manifests only; no plugin code has run). */
  plugins: PluginSet;
  registry: Registry;
}

/** Loads the config and the contribution registry; prints config errors and returns undefined on failure. */
export async function cliContext(program: Command, extraPluginDirs: string[] = []): Promise<CliContext | undefined> {
  const { config, diagnostics } = await loadConfig(program.opts().config);
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!config || hasErrors(diagnostics)) return undefined;
  const plugins = await pluginSetFromConfig(config, extraPluginDirs);
  for (const d of plugins.configDiagnostics ?? []) console.error(formatDiagnostic(d));
  if (hasErrors(plugins.configDiagnostics ?? [])) return undefined;
  return { config, plugins, registry: plugins.registry };
}

function printDiagnostics(diagnostics: Diagnostic[], format: string): void {
  const sorted = sortDiagnostics([...diagnostics]);
  if (format === 'json') {
    const out = sorted.map(({ file, line, column, severity, code, message }) => ({ file, line, column, severity, code, message }));
    console.log(JSON.stringify({ diagnostics: out }, null, 2));
    return;
  }
  for (const d of sorted) console.log(formatDiagnostic(d));
}

export function registerPolicyCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check policy files (and their *.test.yaml files) without running them')
    .argument('<paths...>', 'policy files or folders')
    .option('--format <format>', 'text or json', 'text')
    .option('--gaps', 'list each region of values where no rule applies, with values that `explain` replays (default: one line per policy)')
    .option('--plugins <dir...>', 'extra plugin folders')
    .action(async (paths: string[], opts: { format: string; gaps?: boolean; plugins?: string[] }) => {
      if (!['text', 'json'].includes(opts.format)) {
        usageError('APPRAISE_USAGE', `--format must be text or json, not ${opts.format}.`);
        return setExit(2);
      }
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      const ws = await loadWorkspace(paths, ctx.registry);
      const diagnostics = [...ws.diagnostics, ...ws.missing.map(missingPath)];
      for (const loaded of ws.byId.values()) diagnostics.push(...analysisDiagnostics(loaded, ctx.registry, { gaps: opts.gaps ? 'each' : 'summary' }));
      if (ws.fileCount === 0 && ws.missing.length === 0) diagnostics.push(noFiles(paths));
      printDiagnostics(diagnostics, opts.format);
      const count = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
      const errors = count('error');
      if (opts.format === 'text') {
        // Notes never fail validate: they say where no rule applies, which is often on purpose.
        const notes = count('info') ? `, ${count('info')} note(s)` : '';
        console.log(`${ws.fileCount} file(s) checked: ${errors} error(s), ${count('warning')} warning(s)${notes}.`);
      }
      if (ws.missing.length) return setExit(2);
      setExit(errors ? 1 : 0);
    });

  program
    .command('test')
    .description('run the tests of policies (inline `spec.tests` and *.test.yaml files)')
    .argument('<paths...>', 'policy files or folders')
    .option('--reporter <name>', 'text or junit', 'text')
    .option('--output <file>', 'write the junit report to a file instead of stdout')
    .option('--coverage', 'report which rule and condition outcomes the tests exercised')
    .option('--min-coverage <percent>', 'fail when the coverage of all outcomes is below this (implies --coverage)')
    .option('--format <format>', 'text or json (results and coverage as JSON)', 'text')
    .option('--plugins <dir...>', 'extra plugin folders')
    .action(async (paths: string[], opts: { reporter: string; output?: string; coverage?: boolean; minCoverage?: string; format: string; plugins?: string[] }) => {
      if (!['text', 'junit'].includes(opts.reporter)) {
        usageError('APPRAISE_USAGE', `--reporter must be text or junit, not ${opts.reporter}.`);
        return setExit(2);
      }
      if (!['text', 'json'].includes(opts.format) || (opts.format === 'json' && opts.reporter === 'junit' && !opts.output)) {
        usageError('APPRAISE_USAGE', `--format must be text or json, not ${opts.format}; with --reporter junit, json needs --output for the XML.`);
        return setExit(2);
      }
      const minCoverage = opts.minCoverage === undefined ? undefined : Number(opts.minCoverage);
      if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 100)) {
        usageError('APPRAISE_USAGE', `--min-coverage must be a percentage from 0 to 100, not ${opts.minCoverage}.`);
        return setExit(2);
      }
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      const ws = await loadWorkspace(paths, ctx.registry);
      if (ws.missing.length) {
        for (const m of ws.missing) console.error(formatDiagnostic(missingPath(m)));
        return setExit(2);
      }
      if (hasErrors(ws.diagnostics)) {
        for (const d of sortDiagnostics(ws.diagnostics.filter((x) => x.severity === 'error'))) console.error(formatDiagnostic(d));
        console.error('Fix the errors above before running the tests (`npx appraise validate` lists them).');
        return setExit(1);
      }
      const results: TestCaseResult[] = [];
      const covered: PolicyCoverage[] = [];
      for (const [id, loaded] of ws.byId) {
        const cases: Array<{ file: string; test: PolicyTest }> = (loaded.policy.spec.tests ?? []).map((test) => ({ file: loaded.file, test }));
        for (const tf of ws.testFiles) if (tf.policyId === id) for (const test of tf.tests ?? []) cases.push({ file: tf.file, test });
        const own = await runPolicyTests(loaded.policy, cases, ctx.registry);
        results.push(...own);
        covered.push(policyCoverage(loaded, own));
      }
      const coverage: CoverageReport | undefined = opts.coverage || minCoverage !== undefined ? coverageReport(covered) : undefined;
      const failed = results.filter((r) => !r.passed);
      if (opts.reporter === 'junit') {
        const xml = junitXml(results, coverage);
        if (opts.output) await writeFile(opts.output, xml);
        else process.stdout.write(xml);
      }
      if (opts.format === 'json') {
        const tests = results.map(({ policyId, file, name, passed, expected, actual }) => ({ policyId, file, name, passed, expected, actual }));
        console.log(JSON.stringify({ passed: results.length - failed.length, failed: failed.length, tests, ...(coverage ? { coverage } : {}) }, null, 2));
      } else if (opts.reporter === 'text' || opts.output) {
        for (const r of results) {
          console.log(`${r.passed ? '✓' : '✗'} ${r.policyId} › ${r.name}`);
          if (!r.passed) {
            console.log(`    expected fired: [${r.expected.fired.join(', ')}]${r.expected.indeterminate ? `, undecided: [${r.expected.indeterminate.join(', ')}]` : ''}`);
            console.log(`    actual   fired: [${r.actual.fired.join(', ')}], undecided: [${r.actual.indeterminate.join(', ')}]`);
            console.log(`    (${r.file}; run \`npx appraise explain\` with these facts for the reasons)`);
          }
        }
        if (coverage) console.log(coverageText(coverage));
        console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
      }
      if (coverage && minCoverage !== undefined && coverage.summary.percent < minCoverage) {
        usageError('APPRAISE_COVERAGE_BELOW_MINIMUM', `The tests cover ${formatPercent(coverage.summary.percent)} of all rule and condition outcomes, below --min-coverage ${minCoverage}. Add tests for the outcomes listed as not covered (\`npx appraise test --coverage\`), or lower the minimum.`);
        return setExit(1);
      }
      setExit(failed.length ? 1 : 0);
    });

  program
    .command('explain')
    .description('evaluate one policy with given fact values and explain every rule in words')
    .argument('<policy>', 'a policy file')
    .requiredOption('--facts <json>', 'fact values by name, e.g. \'{"csat": 3.2}\'')
    .option('--employee <json>', 'employee fields, e.g. \'{"tenureDays": 400, "role": "support-agent"}\'', '{}')
    .option('--format <format>', 'text or json', 'text')
    .option('--plugins <dir...>', 'extra plugin folders')
    .action(async (file: string, opts: { facts: string; employee: string; format: string; plugins?: string[] }) => {
      const facts = parseJsonObject(opts.facts, '--facts');
      const employee = parseJsonObject(opts.employee, '--employee');
      if (!facts || !employee) return setExit(2);
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      const loaded = await loadPolicyFile(file, ctx.registry);
      if (!loaded.policy) {
        for (const d of sortDiagnostics(loaded.diagnostics)) console.error(formatDiagnostic(d));
        return setExit(1);
      }
      const compiled = compilePolicy(loaded.policy, ctx.registry);
      const result = await evaluate(compiled, employee as EmployeeFacts, factsFromValues(loaded.policy, ctx.registry, compiled.requirements, facts));
      if (opts.format === 'json') console.log(JSON.stringify(result, null, 2));
      else console.log(`${loaded.policy.metadata.title} (${loaded.policy.metadata.id})\n\n${explainInWords(result)}`);
    });
}

function parseJsonObject(text: string, flag: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    /* reported below */
  }
  usageError('APPRAISE_BAD_FACTS', `${flag} must be a JSON object, e.g. '{"csat": 3.2}'.`);
  return undefined;
}

/** A usage problem, printed in the same `severity CODE message` form as diagnostics. */
export function usageError(code: ErrorCode, message: string): void {
  console.error(`error ${code} ${message}`);
}

function missingPath(p: string): Diagnostic {
  return { code: 'APPRAISE_FILE_UNREADABLE', severity: 'error', message: `No such file or folder: ${p}.`, file: p, line: 0, column: 0 };
}

function noFiles(paths: string[]): Diagnostic {
  return { code: 'APPRAISE_NO_FILES', severity: 'warning', message: `No *.policy.yaml files under ${paths.join(', ')}.`, file: paths[0], line: 0, column: 0 };
}
