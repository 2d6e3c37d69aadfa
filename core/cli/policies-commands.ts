// `policies publish|list|history|show|diff|rollback|approve|reject`: policy versions from the
// command line, for HR teams that keep their policies in git. With four-eyes publish
// (policies.publish.approvals: 1) publish and rollback propose; approve and reject review.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { AppraiseError, formatDiagnostic, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { loadWorkspace } from '../policy/workspace.ts';
import { loadPolicyText } from '../policy/load.ts';
import { diffVersions, getVersion, listPolicies, policyHistory, publishPolicy, rollbackPolicy, type PolicyVersion } from '../policy/versions.ts';
import { approvalsRequired, auditPolicyStep, listProposals, proposePolicy, REVIEWER_ROLES, reviewProposal } from '../policy/proposals.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';
import { noticeContextOf } from '../compliance/notices/record.ts';
import { registerNoticeCommand } from './notice-commands.ts';

function defaultAuthor(): string {
  try {
    return process.env.APPRAISE_AUTHOR ?? userInfo().username;
  } catch {
    return 'cli';
  }
}

/** An Appraise error as its coded line and any diagnostics (exit 1); anything else is rethrown. */
export function handle(e: unknown, setExit: (code: number) => void): void {
  if (e instanceof AppraiseError) {
    console.error(`error ${e.code} ${e.message}`);
    const diagnostics = (e.details as { diagnostics?: Parameters<typeof formatDiagnostic>[0][] }).diagnostics;
    for (const d of diagnostics ?? []) console.error(formatDiagnostic(d));
    setExit(1);
    return;
  }
  throw e;
}

export function registerPoliciesCommands(program: Command, setExit: (code: number) => void): void {
  const policies = program.command('policies').description('published policy versions');

  withDataDirOption(policies
    .command('publish')
    .description('validate policy files and publish each changed one as a new version (nothing is published if any file has errors)')
    .argument('<paths...>', 'policy files or folders')
    .option('--author <name>', 'who publishes (default: the user)')
    .option('--comment <text>', 'why', '')
    .option('--plugins <dir...>', 'extra plugin folders'))
    .action(async (paths: string[], opts: { author?: string; comment: string; dataDir?: string; plugins?: string[] }) => {
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      const ws = await loadWorkspace(paths, ctx.registry);
      if (ws.missing.length || ws.fileCount === 0) {
        usageError('APPRAISE_NO_FILES', `No policy files at ${paths.join(', ')}.`);
        return setExit(2);
      }
      if (hasErrors(ws.diagnostics)) {
        for (const d of sortDiagnostics(ws.diagnostics)) console.error(formatDiagnostic(d));
        console.error('Nothing was published: fix the errors above first.');
        return setExit(1);
      }
      const propose = approvalsRequired(ctx.config) > 0;
      await withStore(opts, async (store) => {
        for (const [id, loaded] of ws.byId) {
          const input = { policy: loaded.policy, yaml: loaded.source!.text, author: opts.author ?? defaultAuthor(), comment: opts.comment, notice: noticeContextOf(ctx) };
          const { version, changed } = propose ? await proposePolicy(store, input) : await publishPolicy(store, input);
          if (!changed) console.log(`${id}: unchanged (version ${version.version})`);
          else if (propose) console.log(proposedLine(id, version.version, version.baseVersion ?? 0, input.author));
          else console.log(`${id}: published version ${version.version}`);
        }
        if (propose) console.log('No preview or fairness report is stored with a proposal made here; publish from the editor to keep them for the reviewer.');
      });
    });

  withDataDirOption(policies.command('list').description('published policies with their latest version').option('--format <format>', 'text or json', 'text'))
    .action(async (opts: { dataDir?: string; format: string }) => {
      await withStore(opts, async (store) => {
        const list = await listPolicies(store);
        if (opts.format === 'json') return console.log(JSON.stringify({ policies: list, proposals: await listProposals(store, undefined, 'proposed') }, null, 2));
        if (list.length === 0 && (await listProposals(store, undefined, 'proposed')).length === 0) return console.log('No policy has been published yet. Publish with `npx appraise policies publish rules/`.');
        for (const p of list) {
          console.log(`${p.policyId}  v${p.latestVersion}  ${p.title}  (${p.mode}; owner ${p.owner ?? '?'}; ${p.schedule ? `schedule ${p.schedule}` : 'no schedule'}; published ${p.publishedAt} by ${p.author})`);
        }
        for (const v of await listProposals(store, undefined, 'proposed')) {
          console.log(`${v.policyId}  v${v.version}  PROPOSED by ${v.author}, not in force: awaiting approval by ${REVIEWER_ROLES}`);
        }
      });
    });

  withDataDirOption(policies.command('history').description('every version of a policy').argument('<id>'))
    .action(async (id: string, opts: { dataDir?: string }) => {
      await withStore(opts, async (store) => {
        try {
          for (const v of await policyHistory(store, id)) {
            const rb = v.rolledBackFrom ? ` (rollback to v${v.rolledBackFrom})` : '';
            console.log(`v${v.version}  ${v.publishedAt}  ${v.author}  ${v.contentHash.slice(0, 12)}  ${v.comment}${rb}${reviewWords(v)}`);
          }
        } catch (e) {
          handle(e, setExit);
        }
      });
    });

  withDataDirOption(policies.command('show').description("a version's exact YAML (default: the latest)").argument('<id>').option('--version <n>', 'version number'))
    .action(async (id: string, opts: { dataDir?: string; version?: string }) => {
      const version = opts.version === undefined ? undefined : Number(opts.version);
      if (version !== undefined && !Number.isInteger(version)) {
        usageError('APPRAISE_USAGE', `--version must be a whole number, not ${opts.version}.`);
        return setExit(2);
      }
      await withStore(opts, async (store) => {
        try {
          process.stdout.write((await getVersion(store, id, version)).yaml);
        } catch (e) {
          handle(e, setExit);
        }
      });
    });

  withDataDirOption(policies.command('diff').description('a unified diff of two versions').argument('<id>').argument('<v1>').argument('<v2>'))
    .action(async (id: string, v1: string, v2: string, opts: { dataDir?: string }) => {
      if (!Number.isInteger(Number(v1)) || !Number.isInteger(Number(v2))) {
        usageError('APPRAISE_USAGE', 'The versions must be whole numbers, e.g. `policies diff support-agents 1 2`.');
        return setExit(2);
      }
      await withStore(opts, async (store) => {
        try {
          process.stdout.write(await diffVersions(store, id, Number(v1), Number(v2)));
        } catch (e) {
          handle(e, setExit);
        }
      });
    });

  withDataDirOption(policies
    .command('rollback')
    .description('publish the text of an old version as a new version')
    .argument('<id>')
    .argument('<version>')
    .option('--author <name>', 'who rolls back (default: the user)')
    .option('--comment <text>', 'why')
    .option('--plugins <dir...>', 'extra plugin folders'))
    .action(async (id: string, v: string, opts: { dataDir?: string; author?: string; comment?: string; plugins?: string[] }) => {
      if (!Number.isInteger(Number(v))) {
        usageError('APPRAISE_USAGE', `The version must be a whole number, not ${v}.`);
        return setExit(2);
      }
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      await withStore(opts, async (store) => {
        try {
          const propose = approvalsRequired(ctx.config) > 0;
          const author = opts.author ?? defaultAuthor();
          const { version } = await rollbackPolicy(store, {
            policyId: id, version: Number(v), author, comment: opts.comment, propose, notice: noticeContextOf(ctx),
            load: (yaml) => loadPolicyText(`${id}@v${v}`, yaml, ctx.registry),
          }, propose ? (tx, pv) => auditPolicyStep(tx, author, 'policy.propose', pv, { rollbackTo: Number(v) }) : undefined);
          console.log(propose ? proposedLine(id, version.version, version.baseVersion ?? 0, author) : `${id}: published version ${version.version} with the text of version ${v}`);
        } catch (e) {
          handle(e, setExit);
        }
      });
    });

  for (const decision of ['approve', 'reject'] as const) {
    withDataDirOption(policies
      .command(decision)
      .description(decision === 'approve' ? 'put a proposed version in force (four-eyes publish; not its author)' : 'reject a proposed version; it is kept, marked rejected')
      .argument('<id>')
      .argument('<version>')
      .requiredOption('--note <text>', 'why (kept in the audit log)')
      .option('--actor <name>', 'who reviews (default: the user)'))
      .action(async (id: string, v: string, opts: { dataDir?: string; note: string; actor?: string }) => {
        if (!Number.isInteger(Number(v)) || Number(v) < 1) {
          usageError('APPRAISE_USAGE', `The version must be a whole number, not ${v}.`);
          return setExit(2);
        }
        if (!opts.note.trim()) {
          usageError('APPRAISE_USAGE', '--note must say why, e.g. --note "checked the preview".');
          return setExit(2);
        }
        // An approved version goes in force: its worker notice is generated from the installed plugins' catalogue.
        const ctx = decision === 'approve' ? await cliContext(program) : undefined;
        if (decision === 'approve' && !ctx) return setExit(1);
        await withStore(opts, async (store) => {
          try {
            const r = await reviewProposal(store, { policyId: id, version: Number(v), reviewer: opts.actor ?? defaultAuthor(), note: opts.note, decision, ...(ctx ? { notice: noticeContextOf(ctx) } : {}) });
            console.log(decision === 'approve' ? `${id}: version ${r.version} approved by ${r.reviewedBy}; it is in force now` : `${id}: version ${r.version} rejected by ${r.reviewedBy}; it is kept in the history and never goes in force`);
          } catch (e) {
            handle(e, setExit);
          }
        });
      });
  }

  registerNoticeCommand(policies, program, setExit);
}

function proposedLine(id: string, version: number, base: number, author: string): string {
  return `${id}: proposed version ${version} by ${author}; version ${base || 'none'} stays in force until ${REVIEWER_ROLES} approves it: npx appraise policies approve ${id} ${version} --note "…"`;
}

/** How a version stands, in history lines. */
function reviewWords(v: PolicyVersion): string {
  if (v.status === 'proposed') return '  [PROPOSED: not in force, awaiting approval]';
  if (v.status === 'rejected') return `  [REJECTED by ${v.reviewedBy}: ${v.reviewNote}]`;
  return v.reviewedBy ? `  [approved by ${v.reviewedBy}: ${v.reviewNote}]` : '';
}
