import { compileScript } from '../core/compile/toRestore.ts';
import { hookFormatOf, hookLinesOf, hookScriptOptions, hookView } from '../core/model/hookFiles.ts';
import { withInterfaceName } from '../core/model/wgQuick.ts';
import { LineIndex } from '../core/text/lineIndex.ts';
import { readTextFile } from '../node/readTextFile.ts';
import { sourcedTextsFor } from '../node/sourcedFiles.ts';
import { resolve } from 'node:path';
import type { CliIO } from './io.ts';

/** `iptables-lint compile SCRIPT`: the iptables-restore text of a script, or why it cannot be made. */
export function compileCommand(args: string[], io: CliIO): number {
  const file = args[0];
  if (!file || args.length > 1) {
    io.stderr('usage: iptables-lint compile SCRIPT\n');
    return 2;
  }
  const read = readTextFile(file);
  if (!read.ok) {
    io.stderr(`iptables-lint: ${read.reason}\n`);
    return 2;
  }
  // a file of hooks (wg-quick's, ifupdown's): what bringing the interface up runs (see
  // model/hookFiles.ts), at the file's own lines
  const format = hookFormatOf(read.text, file);
  const lines = format && hookLinesOf(format, read.text);
  const text = lines ? hookView(read.text, 'up', lines.hooks) : read.text;
  // a configuration read with `.`, found around the script as lint finds it
  const r = compileScript(text, format && lines ? hookScriptOptions(format, lines, 'up') : { sourced: sourcedTextsFor(text, resolve(file)) });
  if (r.refusal) {
    const p = new LineIndex(read.text).positionAt(r.refusal.span.start);
    io.stderr(`${file}:${p.line + 1}:${p.character + 1}: cannot compile: ${r.refusal.reason}\n`);
    return 1;
  }
  if (!r.outputs.length) {
    io.stderr(`iptables-lint: ${file} holds no iptables commands\n`);
    return 1;
  }
  io.stdout(r.outputs.map((o) => (format === 'wg-quick' ? withInterfaceName(o.text, file) : o.text)).join('\n'));
  return 0;
}
