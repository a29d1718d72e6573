import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { FirewallDocument } from '../core/facade.ts';
import type { SourcedText, SourcedTexts } from '../core/model/shellVariables.ts';
import type { OpenModel } from './ipv6RulesBeside.ts';
import { readTextFile } from './readTextFile.ts';
import { drain, type Steps } from '../core/services/steps.ts';

/** A file read with `.` bigger than this is not read: configurations are a few KB. */
const MAX_READ = 256 * 1024;
/** Folders above the script searched for an absolute path (a repository that mirrors a host's `/etc`). */
const MAX_ANCESTORS = 8;
/** Rounds of reading: a file's path may be named by a variable a file read before it sets. */
const MAX_ROUNDS = 4;

/**
 * Where a script at `scriptPath` finds the file it reads with `. path`, in order. A relative
 * path: beside the script (router scripts are run from their folder, or `cd` there first). An
 * absolute one: under a folder above the script that mirrors the host's tree
 * (`repo/etc/firewall.conf` for `/etc/firewall.conf`, as ufw's files are found), then by its
 * name beside the script (the configuration kept next to it), then the path itself (the CLI
 * run on the host, or a script edited where it runs).
 *
 * In a repository (a folder above the script holds `.git`) only files inside it are read: a
 * script of a pull request linted in CI must not make the linter read the runner's own files
 * (`. /run/secrets/token`) and print their values in its findings.
 */
export function sourcedCandidates(scriptPath: string, path: string): string[] {
  const dir = dirname(scriptPath);
  const out: string[] = [];
  if (!isAbsolute(path)) out.push(join(dir, path));
  else {
    let d = dir;
    for (let i = 0; i < MAX_ANCESTORS && dirname(d) !== d; i++, d = dirname(d)) out.push(join(d, path));
    out.push(join(dir, basename(path)), path);
  }
  const root = repositoryOf(dir);
  return [...new Set(out)].filter((f) => !root || inside(root, f));
}

/** The nearest folder at or above `dir` that holds `.git` (a repository, or a host's /etc under etckeeper). */
function repositoryOf(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return realPath(d);
    if (dirname(d) === d) return undefined;
  }
}

/** Whether `file`, its links followed where it exists, lies under `root`. */
function inside(root: string, file: string): boolean {
  const r = relative(root, realPath(file));
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    // a file not there: its folder's real place, where that is there
    const d = dirname(p);
    return d === p ? p : join(realPath(d), basename(p));
  }
}

/** A file's text as the editor holds it, else as on disk; undefined when missing, not a file, too big or binary. */
export function sourcedFileText(path: string, open?: OpenModel): string | undefined {
  const doc = open?.(path);
  if (doc) return doc.source.length > MAX_READ ? undefined : doc.source;
  try {
    const s = statSync(path);
    if (!s.isFile() || s.size > MAX_READ) return undefined;
  } catch {
    return undefined;
  }
  const read = readTextFile(path);
  return read.ok ? read.text : undefined;
}

/**
 * Gives a script's model the files its `.` and `source` commands read (see
 * DocumentOptions.sourced), found around `scriptPath` (see sourcedCandidates), as the editor
 * holds them where it has them open. Returns every file looked at, found or not: the language
 * server judges the script again when one of them changes.
 */
export function readSourced(doc: FirewallDocument, scriptPath: string, open?: OpenModel): string[] {
  return drain(readSourcedSteps(doc, scriptPath, open));
}

/**
 * readSourced with the script's model made in steps (see FirewallDocument.prepareModel) each
 * time the files found make it again: for a front end's background queue, where a long script
 * that reads a configuration was otherwise modelled at once on opening, once the files it reads
 * were found.
 */
export function* readSourcedSteps(doc: FirewallDocument, scriptPath: string, open?: OpenModel): Steps<string[]> {
  if (doc.dialect !== 'script' || doc.hooks) return [];
  const looked = new Set<string>();
  const texts = new Map<string, SourcedText>();
  const tried = new Set<string>();
  // the model as last made names the paths (made with the files read last time: after an edit
  // of the script they are found again as they were, and it is not made twice)
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let added = false;
    yield* doc.prepareModel();
    for (const use of doc.ruleSet.sources ?? []) {
      if (use.path === undefined || tried.has(use.path)) continue;
      tried.add(use.path);
      for (const file of sourcedCandidates(scriptPath, use.path)) {
        // the script itself: a guard against reading it into itself
        if (file === scriptPath) continue;
        looked.add(file);
        const text = sourcedFileText(file, open);
        if (text === undefined) continue;
        texts.set(use.path, { file, text });
        added = true;
        break;
      }
    }
    if (!added) break;
    doc.setSourced(new Map(texts));
  }
  doc.setSourced(texts.size ? texts : undefined);
  return [...looked];
}

/** The files a script at `path` reads with `.`, found around it (see readSourced): for compiling it without a model at hand. None for other files. */
export function sourcedTextsFor(text: string, path: string): SourcedTexts | undefined {
  const doc = new FirewallDocument(text, { fileName: path });
  readSourced(doc, path);
  return doc.sourced;
}
