// `plugin check`: a static check of a plugin, without running any of its code. ts-morph reads
// the entry module: it must export `activate`; every code contribution the manifest declares
// must be registered and every registered id declared; and the code must type-check against
// the plugin API.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { locate } from '../policy/yaml-source.ts';
import { readManifest } from './manifest.ts';

const API_FILE = fileURLToPath(new URL('./api.ts', import.meta.url));
const TESTING_FILE = fileURLToPath(new URL('./testing.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Kind = 'metrics' | 'operators' | 'workflows';

export async function checkPlugin(dir: string): Promise<Diagnostic[]> {
  const folder = resolve(dir);
  const { manifest, diagnostics } = await readManifest(folder);
  const out = [...diagnostics];
  if (!manifest) return out;
  const declaredCode: Record<Kind, string[]> = {
    metrics: manifest.metrics.filter((m) => m.aggregate === undefined).map((m) => m.id.slice(manifest.id.length + 1)),
    operators: manifest.operators.map((o) => o.id.slice(manifest.id.length + 1)),
    workflows: manifest.workflows.map((w) => w.id.slice(manifest.id.length + 1)),
  };
  const declaredAll: Record<Kind, string[]> = {
    metrics: manifest.metrics.map((m) => m.id.slice(manifest.id.length + 1)),
    operators: declaredCode.operators,
    workflows: declaredCode.workflows,
  };
  if (!manifest.main) return out; // data only: nothing to check in code
  if (!existsSync(manifest.main)) return out; // reported by readManifest

  const project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
      baseUrl: folder,
      paths: { 'appraise/plugin-api': [API_FILE], 'appraise/testing': [TESTING_FILE] },
    },
  });
  // Tests are the author's to run with vitest; the check covers the code the engine loads.
  project.addSourceFilesAtPaths([join(folder, '**/*.ts'), `!${join(folder, '**/*.test.ts')}`, `!${join(folder, 'node_modules/**')}`]);
  const entry = project.getSourceFile(manifest.main) ?? project.addSourceFileAtPath(manifest.main);
  const at = (file: string, line: number, column: number, code: ErrorCode, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic =>
    ({ code, severity, message, file, line, column });
  const pos = (sf: SourceFile, offset: number) => sf.getLineAndColumnAtPos(offset);

  // 1. The entry exports activate.
  const activate = entry.getExportedDeclarations().get('activate')?.[0];
  if (!activate) {
    out.push(at(manifest.main, 1, 1, 'APPRAISE_PLUGIN_CHECK', `The entry module does not export \`activate(ctx)\`. Add \`export function activate(ctx: PluginContext) { … }\`.`));
  }

  // 2. Registrations in code versus the manifest.
  const registered: Record<Kind, string[]> = { metrics: [], operators: [], workflows: [] };
  for (const sf of project.getSourceFiles()) {
    if (!sf.getFilePath().startsWith(folder) || /\.test\.ts$/.test(sf.getFilePath())) continue;
    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'register') continue;
      const target = callee.getExpression();
      const kind = (Node.isPropertyAccessExpression(target) ? target.getName() : '') as Kind;
      if (!['metrics', 'operators', 'workflows'].includes(kind)) continue;
      const arg = call.getArguments()[0];
      const p = pos(sf, call.getStart());
      if (!arg || !Node.isStringLiteral(arg)) {
        out.push(at(sf.getFilePath(), p.line, p.column, 'APPRAISE_PLUGIN_CHECK', `Register ${kind} with a literal id so it can be checked against package.json.`, 'warning'));
        continue;
      }
      const id = arg.getLiteralValue();
      registered[kind].push(id);
      if (!declaredAll[kind].includes(id)) {
        const ap = pos(sf, arg.getStart());
        out.push(at(sf.getFilePath(), ap.line, ap.column, 'APPRAISE_PLUGIN_UNDECLARED_REGISTRATION', `\`${id}\` is registered here but package.json does not declare it under appraise.contributes.${kind}. Declare it there, or fix the id.`));
      } else if (kind === 'metrics' && !declaredCode.metrics.includes(id)) {
        const ap = pos(sf, arg.getStart());
        out.push(at(sf.getFilePath(), ap.line, ap.column, 'APPRAISE_PLUGIN_CHECK', `The metric \`${id}\` has a declarative aggregate in package.json; registering code for it too is ambiguous. Remove one of them.`));
      }
    }
  }
  for (const kind of ['metrics', 'operators', 'workflows'] as Kind[]) {
    manifest[kind].forEach((c, i) => {
      const local = c.id.slice(manifest.id.length + 1);
      if (declaredCode[kind].includes(local) && !registered[kind].includes(local)) {
        out.push({ code: 'APPRAISE_PLUGIN_UNREGISTERED_CONTRIBUTION', severity: 'error', message: `package.json declares the ${kind.replace(/s$/, '')} \`${local}\` but no code registers it (\`ctx.${kind}.register('${local}', …)\`).`, file: manifest.packageFile, ...locate(manifest.source, ['appraise', 'contributes', kind, i, 'id']) });
      }
    });
  }

  // 3. Type errors against the plugin API.
  for (const d of project.getPreEmitDiagnostics()) {
    const sf = d.getSourceFile();
    if (!sf || !sf.getFilePath().startsWith(folder)) continue;
    const start = d.getStart() ?? 0;
    const p = pos(sf, start);
    const text = ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, ' ');
    out.push(at(sf.getFilePath(), p.line, p.column, 'APPRAISE_PLUGIN_CHECK', `TS${d.getCode()}: ${text}`));
  }
  return out.map((d) => ({ ...d, file: relativeTo(d.file) }));
}

function relativeTo(file: string): string {
  const r = relative(process.cwd(), file);
  return r.startsWith('..') ? file : r;
}

