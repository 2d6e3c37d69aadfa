// `plugins`, `plugin new` and `plugin check`: the plugin author's commands.
import type { Command } from 'commander';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { loadConfig } from '../config/config.ts';
import type { PluginSet } from '../plugins/discovery.ts';
import { pluginSetFromConfig } from '../plugins/host-from-config.ts';
import { scaffoldPlugin } from '../plugins/scaffold.ts';

export function describePlugins(set: PluginSet): string {
  const lines: string[] = [];
  for (const p of set.plugins) {
    const m = p.manifest;
    const kind = m ? (m.main ? 'code' : 'data only') : 'invalid';
    lines.push(`${p.id}@${m?.version ?? '?'}  ${p.state}${p.reason ? ` (${p.reason})` : ''}  [${kind}${p.builtin ? ', built-in' : ''}]  ${p.folder}`);
    if (m) {
      for (const k of m.recordKinds) lines.push(`    record kind  ${k.id}  ${k.title}${k.customFields?.length ? ` (custom fields: ${k.customFields.join(', ')})` : ''}`);
      for (const x of m.metrics) lines.push(`    metric       ${x.id}  ${x.title} (${x.unit}${x.range ? ` ${x.range[0] ?? '−∞'}..${x.range[1] ?? '∞'}` : ''}, ${x.direction}, ${x.aggregate !== undefined ? 'declarative' : 'code'})`);
      for (const x of m.operators) lines.push(`    operator     ${x.id}  ${x.description ?? ''}`);
      for (const x of m.workflows) lines.push(`    workflow     ${x.id}  ${x.title}`);
      for (const x of m.sources ?? []) {
        const creds = x.credentials.map((c) => `${c.name}${c.required ? '' : '?'}`).join(', ');
        lines.push(`    source       ${x.id}  ${x.title} (produces ${x.produces.join(', ')}; schedule ${x.schedule ?? 'manual'}${creds ? `; credentials ${creds}` : ''})`);
      }
    }
    for (const problem of p.problems.slice(-5)) lines.push(`    problem      ${problem.code} ${problem.message}`);
  }
  return lines.join('\n');
}

export function registerPluginCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('plugins')
    .description('list plugins, their versions, state and contributions')
    .option('--plugins <dir...>', 'extra plugin folders')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { plugins?: string[]; format: string }) => {
      const { config, diagnostics } = await loadConfig(program.opts().config);
      if (!config) {
        for (const d of diagnostics) console.error(formatDiagnostic(d));
        return setExit(1);
      }
      const set = await pluginSetFromConfig(config, opts.plugins ?? []);
      if (opts.format === 'json') {
        console.log(JSON.stringify({
          plugins: set.plugins.map((p) => ({
            id: p.id, version: p.manifest?.version, state: p.state, reason: p.reason, builtin: p.builtin, folder: p.folder,
            contributes: p.manifest ? {
              recordKinds: p.manifest.recordKinds.map((k) => k.id), metrics: p.manifest.metrics.map((m) => m.id),
              operators: p.manifest.operators.map((o) => o.id), workflows: p.manifest.workflows.map((w) => w.id),
              sources: (p.manifest.sources ?? []).map((x) => x.id),
            } : undefined,
            problems: p.problems,
          })),
          diagnostics: set.diagnostics,
        }, null, 2));
      } else {
        console.log(describePlugins(set));
        for (const d of sortDiagnostics([...set.diagnostics])) console.log(formatDiagnostic(d));
      }
      setExit(set.plugins.some((p) => p.state === 'disabled') || set.configDiagnostics?.length ? 1 : 0);
    });

  const plugin = program.command('plugin').description('tools for plugin authors');
  plugin
    .command('new')
    .description('scaffold a working plugin: manifest, typed entry, one metric, one test')
    .argument('<dir>', 'the folder to create')
    .requiredOption('--id <id>', 'the plugin id (kebab-case)')
    .action(async (dir: string, opts: { id: string }) => {
      try {
        const files = await scaffoldPlugin(dir, opts.id);
        for (const f of files) console.log(`created ${f}`);
        console.log(`\nNext: npx appraise plugin check ${dir}`);
      } catch (e) {
        if (e instanceof AppraiseError) {
          console.error(`error ${e.code} ${e.message}`);
          return setExit(2);
        }
        throw e;
      }
    });
  plugin
    .command('check')
    .description('check a plugin statically (manifest, registrations, types) without running it')
    .argument('<dir>', 'the plugin folder')
    .action(async (dir: string) => {
      // ts-morph costs a third of a second to load: only `plugin check` pays for it.
      const { checkPlugin } = await import('../plugins/check.ts');
      const diagnostics = sortDiagnostics(await checkPlugin(dir.replace(/\/$/, '')));
      for (const d of diagnostics) console.log(formatDiagnostic(d));
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      console.log(`${dir}: ${errors} error(s), ${diagnostics.length - errors} warning(s).`);
      setExit(errors ? 1 : 0);
    });
}
