import { existsSync, readdirSync } from 'node:fs';
import { eventually, expect, type Check } from './support.ts';

/** The extension's global storage folder, as the runner that started this VS Code knows it. */
export const storageFolder = (): string | undefined => process.env.IPTABLES_SUITE_STORAGE;

/** The compiled-code files the extension's entry keeps there (client/src/codeCache.ts). */
export function codeCacheFiles(): string[] {
  const dir = storageFolder();
  return dir && existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('extension-main.cjs-') && f.endsWith('.v8cache')) : [];
}

export const checks: Check[] = [
  {
    name: 'after activation, the extension keeps its compiled code in its global storage for the next start',
    async run() {
      expect(storageFolder(), 'the runner did not say where the global storage is (IPTABLES_SUITE_STORAGE)');
      // saved a few seconds after activation, while the other checks run
      const files = await eventually('a compiled-code file in the global storage', () => (codeCacheFiles().length ? codeCacheFiles() : undefined), 30_000);
      expect(files.length === 1, `one file, not ${files.join(', ')}`);
    },
  },
];
