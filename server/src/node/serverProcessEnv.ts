/**
 * Environment a front end gives the language server's process (the VS Code client does; the
 * bench does, to measure the server as it runs there).
 *
 * glibc's allocator serves blocks above its mmap threshold with a mapping of their own,
 * returned to the system when freed; after such a block is freed it raises the threshold to
 * that block's size, up to 32 MB. The server writes replies of several MB after each pause in
 * typing on a big dump (the outline, the lens places), so the threshold soon stands at their
 * size, and later blocks below it come from the heap and stay with the process once freed. A
 * fixed threshold keeps the default of 128 KiB: measured on the 100k-rule dump (15 edits and
 * the editor's refreshes, six sessions each), RSS 2.5 s after the edits 601–739 → 553–658 MB
 * (mean 678 → 603), edits as fast. Other C libraries ignore the variable; a value the user
 * set is kept.
 */
export function serverProcessEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? String(128 * 1024) };
}

/**
 * The young generation's semi-space the server runs with, in MB (Node's default is 16). V8
 * grows it to its limit while a big document is parsed and keeps it grown, where the server's
 * own allocations after the open are small (under 1 MB per keystroke). Measured on the
 * 100k-rule dump (the bench's session, two runs each): RSS right after the open 288–292 →
 * 268–270 MB, the open 1.73–1.75 → 1.75–1.80 s, edits p95 as fast, the editor's refresh p50
 * 118–125 → 136–139 ms; at 2 MB, 261–267 MB. The 10k dump once quiet: 80–89 MB in six
 * sessions, 80–82 in three without it (right after the open 88–96 against 112–117).
 */
export const SEMI_SPACE_MB = 4;

/**
 * Node options a front end starts the server with, on its command line (V8 reads this one
 * when the process starts): the VS Code client does, and the bench. Not in NODE_OPTIONS,
 * which Electron's Node ignores in a packaged app such as VS Code.
 */
export function serverExecArgv(): string[] {
  return [`--max-semi-space-size=${SEMI_SPACE_MB}`];
}
