import { basename, dirname, join } from 'node:path';
import type { Dialect } from '../core/model/types.ts';
import type { HookFormat } from '../core/model/hookFiles.ts';
import { companionPaths } from './ipv6RulesBeside.ts';
import { ipsetPlaces } from './ipsetFiles.ts';
import { lintConfigPlaces } from './lintConfig.ts';
import { sysctlPlaces } from './sysctlFiles.ts';

/** A place on disk a document's findings read: one file (`name`), or every `*.conf` of a folder (`sysctl.d`). */
export interface DiskPlace {
  dir: string;
  name: string | '*.conf';
}

/** What a document is, for what it reads around it: a rules file, a file of hooks (wg-quick's, ifupdown's), a shell script. */
export type JudgedKind = 'save' | 'hooks' | 'script';

/** The kind of a document's model (see JudgedKind). */
export function judgedKind(doc: { readonly dialect: Dialect; readonly hooks?: HookFormat }): JudgedKind {
  return doc.dialect === 'save' ? 'save' : doc.hooks ? 'hooks' : 'script';
}

/**
 * The places on disk whose content the findings of the file at `filePath` depend on: the
 * `.iptables-lint.json` files above it (findLintConfig); a rules file's other half, ufw's other
 * files, the ipsets file beside it and the sysctl files around it (workspaceSettings); a file of
 * hooks' sysctl files (hookSettings); the files a script read with `.` or looked for
 * (`sourced`, see readSourced). The language server has the editor watch them.
 */
export function placesJudgedWith(filePath: string, kind: JudgedKind, sourced: readonly string[] = []): DiskPlace[] {
  const files = [...lintConfigPlaces(filePath)];
  const out: DiskPlace[] = [];
  if (kind === 'script') files.push(...sourced);
  else {
    if (kind === 'save') files.push(...companionPaths(filePath), ...ipsetPlaces(filePath));
    for (const base of sysctlPlaces(filePath)) {
      files.push(join(base, 'sysctl.conf'));
      out.push({ dir: join(base, 'sysctl.d'), name: '*.conf' });
    }
  }
  // each place once: the sysctl folders of two levels may be the same
  const unique = new Map<string, DiskPlace>();
  for (const p of [...files.map((f) => ({ dir: dirname(f), name: basename(f) })), ...out]) if (!unique.has(`${p.dir}\0${p.name}`)) unique.set(`${p.dir}\0${p.name}`, p);
  return [...unique.values()];
}

/** Whether a change of `path` is a change of `place`. */
export function placeHolds(place: DiskPlace, path: string): boolean {
  if (dirname(path) !== place.dir) return false;
  return place.name === '*.conf' ? path.endsWith('.conf') : basename(path) === place.name;
}
