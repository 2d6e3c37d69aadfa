// Which record kind an import means: the qualified id (`support.ticket`), or the short one
// (`ticket`) when exactly one enabled plugin contributes a kind of that name.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import { closest, didYouMean } from '../util/did-you-mean.ts';

export function resolveRecordKind(kinds: ReadonlyMap<string, RecordKindInfo>, name: string): RecordKindInfo {
  const exact = kinds.get(name);
  if (exact) return exact;
  const short = [...kinds.values()].filter((k) => k.localId === name);
  if (short.length === 1) return short[0];
  const all = [...kinds.keys()].sort();
  if (short.length > 1) {
    throw new AppraiseError('APPRAISE_IMPORT_UNKNOWN_KIND', `The record kind \`${name}\` is contributed by several plugins (${short.map((k) => k.id).join(', ')}); write the one you mean in full.`);
  }
  // A typo of the short name (`tikcet`) is as likely as one of the qualified id.
  const [local] = closest(name.slice(name.lastIndexOf('.') + 1), [...kinds.values()].map((k) => k.localId));
  const hint = didYouMean(name, all) || (local ? ` Did you mean \`${[...kinds.values()].find((k) => k.localId === local)!.id}\`?` : '');
  throw new AppraiseError(
    'APPRAISE_IMPORT_UNKNOWN_KIND',
    `No enabled plugin contributes the record kind \`${name}\`.${hint} The kinds are: ${all.join(', ') || '(none)'}; \`npx appraise plugins\` shows which plugins are disabled and why.`,
  );
}
