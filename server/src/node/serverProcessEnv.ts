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
