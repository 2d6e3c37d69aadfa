// `reviews open|extend|list|show`: review cycles from the command line. Opening takes a template by id
// (rules/reviews/) or by file, whose problems print as `file:line:col` like a policy's.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { AppraiseError, formatDiagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { FieldNames } from '../cases/field-error.ts';
import { Appraise } from '../app/appraise.ts';
import { openCycle } from '../people/reviews/cycles.ts';
import { getReview, listCycles, listReviews } from '../people/reviews/queries.ts';
import { reviewPacket } from '../people/reviews/packet-read.ts';
import { packetSectionIds } from '../people/reviews/packet.ts';
import { loadTemplateFile, templateError } from '../people/reviews/template.ts';
import { findTemplate } from '../people/reviews/templates-dir.ts';
import { extendDeadline } from '../people/reviews/deadlines.ts';
import { REVIEW_STATUSES } from '../people/reviews/lifecycle.ts';
import { actorDefault, failWith } from './case-commands.ts';
import { cliContext } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

const FLAGS: Record<string, string> = { step: '--step', dueAt: '--due', note: '--note', 'due.self': '--due (first date)', 'due.manager': '--due (second date)', 'due.signoff': '--due (third date)', id: '<cycle>', period: '--period' };
const flagOf: FieldNames = (field) => FLAGS[field] ?? (field.startsWith('appliesTo.') ? `--${field.slice('appliesTo.'.length).split('.')[0]}` : field);
const USAGE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['APPRAISE_USAGE', 'APPRAISE_REVIEW_MISSING_FIELD', 'APPRAISE_REVIEW_NOTE_REQUIRED', 'APPRAISE_REVIEW_BAD_PERIOD', 'APPRAISE_REVIEW_BAD_CYCLE_ID', 'APPRAISE_REVIEW_BAD_POPULATION', 'APPRAISE_REVIEW_BAD_DEADLINES', 'APPRAISE_DATE_INVALID', 'APPRAISE_DATE_OUT_OF_RANGE', 'APPRAISE_REVIEW_TEMPLATE_NOT_FOUND']);
const PERIOD = /^\d{4}(-Q[1-4]|-\d{2}|-W\d{2})?$/;
const list = (values?: string[]) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

async function templateFrom(spec: string) {
  if (/\.ya?ml$/.test(spec) || existsSync(spec)) {
    const loaded = await loadTemplateFile(spec, packetSectionIds());
    if (!loaded.template) {
      for (const d of loaded.diagnostics) console.error(formatDiagnostic(d));
      throw templateError(loaded);
    }
    return { template: loaded.template, text: loaded.text! };
  }
  return findTemplate(spec);
}

export function registerReviewCommands(program: Command, setExit: (code: number) => void): void {
  const reviews = program.command('reviews').description('review cycles: open one for a period, list cycles and reviews, show a review with its packet');
  const fail = (e: unknown) => failWith(e, setExit, flagOf, USAGE);

  withDataDirOption(reviews
    .command('open')
    .description('open a review cycle: one review for each employee in scope (opening it again adds only people new in scope)')
    .argument('<cycle>', 'the cycle: a period (2026-Q4, 2026-11, 2026-W48, 2026) or an id of your own with --period')
    .requiredOption('--template <id-or-file>', 'a template id (rules/reviews/<id>.review.yaml) or a *.review.yaml file')
    .requiredOption('--due <dates...>', 'three dates: self-assessment, manager assessment and sign-off due')
    .option('--period <period>', 'the period, when <cycle> is an id of your own')
    .option('--roles <roles...>', 'only these roles (as a policy\'s appliesTo)')
    .option('--teams <teams...>', 'only these teams')
    .option('--departments <departments...>', 'only these departments')
    .option('--title <title>')
    .option('--actor <name>', 'who opens it (default: the user)'))
    .action(async (cycle: string, opts: { template: string; due: string[]; period?: string; roles?: string[]; teams?: string[]; departments?: string[]; title?: string; actor?: string; dataDir?: string }) => {
      try {
        const due = list(opts.due);
        if (due.length !== 3) throw new AppraiseError('APPRAISE_USAGE', `--due takes three dates (self-assessment, manager assessment, sign-off), such as --due 2026-12-15 2027-01-05 2027-01-15; ${due.length} given.`);
        const period = opts.period ?? (PERIOD.test(cycle) ? cycle : undefined);
        if (!period) throw new AppraiseError('APPRAISE_USAGE', `\`${cycle}\` is not a period (2026-Q4, 2026-11, 2026-W48 or 2026): give the period with --period.`);
        const appliesTo = Object.fromEntries(([['roles', opts.roles], ['teams', opts.teams], ['departments', opts.departments]] as const).map(([k, v]) => [k, list(v)]).filter(([, v]) => v.length));
        const t = await templateFrom(opts.template);
        await withStore(opts, async (store) => {
          const r = await openCycle(store, { id: cycle, period, title: opts.title, template: t.template, templateYaml: t.text, appliesTo, due: { self: due[0], manager: due[1], signoff: due[2] }, actor: opts.actor ?? actorDefault() });
          console.log(`cycle ${r.cycleId}: ${r.created} review(s) created${r.existing ? `, ${r.existing} already open` : ''}`);
        });
      } catch (e) {
        fail(e);
      }
    });

  withDataDirOption(reviews
    .command('extend')
    .description('move a deadline of every open review of a cycle (or of one, with --review), with a note saying why')
    .argument('<cycle>', 'the cycle id')
    .requiredOption('--step <step>', 'self, manager or signoff')
    .requiredOption('--due <date>', 'the new deadline')
    .requiredOption('--note <text>', 'why it moves')
    .option('--review <id>', 'only this review')
    .option('--actor <name>', 'who moves it (default: the user)'))
    .action(async (cycle: string, opts: { step: string; due: string; note: string; review?: string; actor?: string; dataDir?: string }) => {
      try {
        if (opts.review !== undefined && !/^[1-9]\d{0,9}$/.test(opts.review)) throw new AppraiseError('APPRAISE_USAGE', `--review must be a review id (a whole number), not ${opts.review}.`);
        await withStore(opts, async (store) => {
          const r = await extendDeadline(store, { cycleId: cycle, reviewId: opts.review === undefined ? undefined : Number(opts.review), step: opts.step, dueAt: opts.due, note: opts.note, actor: opts.actor ?? actorDefault() });
          console.log(`cycle ${cycle}: the ${opts.step} deadline of ${r.reviews} review(s) moved to ${opts.due}`);
        });
      } catch (e) {
        fail(e);
      }
    });

  withDataDirOption(reviews
    .command('list')
    .description('the cycles with their progress, or the reviews of one cycle')
    .argument('[cycle]', 'list the reviews of this cycle')
    .option('--status <status...>', 'only reviews in these statuses')
    .option('--overdue', 'only reviews whose current step is past its deadline')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (cycle: string | undefined, opts: { status?: string[]; overdue?: boolean; format: string; dataDir?: string }) => {
      try {
        const status = list(opts.status);
        const unknown = status.find((s) => !(REVIEW_STATUSES as readonly string[]).includes(s));
        if (unknown) throw new AppraiseError('APPRAISE_USAGE', `--status: \`${unknown}\` is not a review status. The statuses are ${REVIEW_STATUSES.join(', ')}.`);
        await withStore(opts, async (store) => {
          if (!cycle) {
            const cycles = await listCycles(store);
            if (opts.format === 'json') return console.log(JSON.stringify({ cycles }, null, 2));
            if (!cycles.length) return console.log('No review cycle yet. Open one with `npx appraise reviews open <period> --template quarterly --due <self> <manager> <sign-off>`.');
            for (const c of cycles) {
              const p = c.progress;
              console.log(`${c.id}  ${c.title}: ${p.total} review(s), ${p.selfAssessed} self-assessed, ${p.signedOff} signed off, ${p.overdue} overdue; due ${c.due.self.slice(0, 10)} / ${c.due.manager.slice(0, 10)} / ${c.due.signoff.slice(0, 10)}`);
            }
            return;
          }
          const { reviews: rows, total } = await listReviews(store, { cycleId: cycle, status, overdue: opts.overdue, limit: 1000 });
          if (opts.format === 'json') return console.log(JSON.stringify({ reviews: rows, total }, null, 2));
          if (!rows.length) return console.log('No reviews match.');
          for (const r of rows) {
            console.log(`#${r.id}  ${r.status.padEnd(16)} ${r.employeeId} ${r.employeeName ?? ''}${r.step ? `  ${r.step} due ${r.dueAt?.slice(0, 10)}${r.overdue ? ' OVERDUE' : ''}` : ''}${r.overallScore === null ? '' : `  overall ${r.overallScore}`}`);
          }
          console.log(`${rows.length} of ${total} review(s).`);
        });
      } catch (e) {
        fail(e);
      }
    });

  withDataDirOption(reviews
    .command('show')
    .description('one review: its status, assessments, signatures and steps; with --packet its packet')
    .argument('<id>', 'the review id')
    .option('--packet', 'assemble (or read the frozen) packet too')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (idText: string, opts: { packet?: boolean; format: string; dataDir?: string }) => {
      const id = Number(idText);
      if (!/^[1-9]\d{0,9}$/.test(idText) || id > 2147483647) {
        fail(new AppraiseError('APPRAISE_USAGE', `The review id must be a whole number, not ${idText}.`));
        return;
      }
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      const app = await Appraise.open({ config: ctx.config, dataDir: opts.dataDir, onWait: (m) => console.error(m) });
      try {
        const r = await getReview(app.store, id);
        const packet = opts.packet ? await reviewPacket(app.store, { registry: app.registry, metrics: app.plugins.metrics, host: app.host }, id) : undefined;
        if (opts.format === 'json') return console.log(JSON.stringify({ review: r, ...(packet ? { packet } : {}) }, null, 2));
        console.log(`Review #${r.id}: ${r.cycleTitle}, ${r.employeeName ?? r.employeeId} (${r.employeeId}); manager ${r.managerName ?? '—'}`);
        console.log(`Status: ${r.status}${r.step ? `; ${r.step} due ${r.dueAt?.slice(0, 10)}${r.overdue ? ' (overdue)' : ''}` : ''}`);
        for (const s of r.template.spec.sections) {
          const rating = r.managerAssessment?.sections[s.id]?.rating;
          console.log(`  ${s.title} (weight ${s.weight}): ${rating ?? 'not rated'}${r.selfAssessment?.sections[s.id] ? `; self: ${r.selfAssessment.sections[s.id]}` : ''}`);
        }
        if (r.overallScore !== null) console.log(`Overall: ${r.overallScore}`);
        if (r.employeeSignedAt || r.managerSignedAt) console.log(`Signed: employee ${r.employeeSignedAt ?? 'not yet'}, manager ${r.managerSignedAt ?? 'not yet'}`);
        if (r.acknowledgedAt) console.log(`Acknowledged ${r.acknowledgedAt}${r.acknowledgement ? `: ${r.acknowledgement}` : ''}`);
        for (const e of r.events) console.log(`  ${e.at}  ${e.actor}  ${e.event}${e.to ? ` ${e.from ?? ''}→${e.to}` : ''}${e.note ? `  "${e.note}"` : ''}`);
        if (packet) {
          console.log(packet.frozen ? 'Packet (kept at sign-off):' : 'Packet (as the data stand now):');
          for (const s of packet.packet.sections) console.log(`  ${s.title}: ${s.summary}`);
        }
      } catch (e) {
        fail(e);
      } finally {
        await app.close();
      }
    });
}
