import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedLoad {
  exports: unknown;
  /** V8 took the compiled code kept from an earlier start. */
  fromCache: boolean;
  /**
   * Keeps the code compiled so far (the bundle's top level and every function that has run)
   * for the next start, unless it was loaded from a cache V8 accepted. Never rejects.
   */
  save(): Promise<void>;
}

const DIGEST = 20;

/**
 * Loads a CommonJS bundle as `require` would, with V8's compiled code for it kept in
 * `cacheDir` between starts. VS Code compiles the extension's bundle each time it activates
 * it, and Node's own compile cache (module.enableCompileCache) would switch caching on for
 * every extension loaded after ours in the shared extension host: this keeps it to our file.
 *
 * The cache file is named after the bundle's size and time and V8's version, and holds a
 * digest of its bytes: a bundle replaced by an update, another VS Code or a torn file is
 * compiled afresh (V8 also refuses code made for another source or flags).
 */
export function requireWithCodeCache(file: string, cacheDir: string | undefined): CachedLoad {
  const stat = statSync(file);
  const name = `${basename(file)}-${process.versions.v8}-${stat.size}-${Math.trunc(stat.mtimeMs)}.v8cache`;
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, name);
  const cached = cacheFile === undefined ? undefined : readVerified(cacheFile);
  // a bundle's `#!` line is only valid at the very start of a script; as a comment the columns stay put
  let source = readFileSync(file, 'utf8');
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const script = new Script(Module.wrap(source), { filename: file, cachedData: cached });
  const fromCache = cached !== undefined && script.cachedDataRejected === false;
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const body = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  body.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return {
    exports: module.exports,
    fromCache,
    save: async () => {
      if (fromCache || cacheDir === undefined || cacheFile === undefined) return;
      try {
        const data = script.createCachedData();
        const digest = createHash('sha1').update(data).digest();
        // the editor guarantees the parent of its storage folder, not the folder itself
        await mkdir(cacheDir).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
        for (const old of await readdir(cacheDir)) {
          if (old !== name && old.startsWith(`${basename(file)}-`) && old.endsWith('.v8cache')) await rm(join(cacheDir, old), { force: true });
        }
        // two windows may start at once: each writes its own file and renames it into place
        const partial = `${cacheFile}.${process.pid}`;
        await writeFile(partial, Buffer.concat([digest, data]));
        await rename(partial, cacheFile);
      } catch {
        // a read-only or full disk: the next start compiles the bundle again
      }
    },
  };
}

/** The cached code in `file` when its digest matches, undefined otherwise. */
function readVerified(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= DIGEST) return undefined;
  const data = bytes.subarray(DIGEST);
  return createHash('sha1').update(data).digest().equals(bytes.subarray(0, DIGEST)) ? data : undefined;
}
