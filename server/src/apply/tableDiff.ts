import { canonicalSave, type SaveTable } from './saveTables.ts';
import { unifiedDiff } from './unifiedDiff.ts';

const TABLE_ORDER = ['raw', 'mangle', 'nat', 'filter', 'security'];

/**
 * The change from `before` to `after` table by table (iptables-restore replaces whole
 * tables, and backends print them in different orders), each as a unified diff whose header
 * names the table. Empty when nothing changes.
 */
export function tableDiff(before: SaveTable[], after: SaveTable[], label: string): string {
  const names = [...new Set([...before, ...after].map((t) => t.name))].sort((a, b) => {
    const ra = TABLE_ORDER.indexOf(a) < 0 ? 99 : TABLE_ORDER.indexOf(a);
    const rb = TABLE_ORDER.indexOf(b) < 0 ? 99 : TABLE_ORDER.indexOf(b);
    return ra - rb || a.localeCompare(b);
  });
  let out = '';
  for (const name of names) {
    const a = before.filter((t) => t.name === name);
    const b = after.filter((t) => t.name === name);
    const d = unifiedDiff(a.length ? canonicalSave(a) : '', b.length ? canonicalSave(b) : '', `${label} ${name} (loaded now${a.length ? '' : ': no such table'})`, `${label} ${name} (after apply${b.length ? '' : ': no such table'})`);
    out += d;
  }
  return out;
}
