import * as nodeModule from 'node:module';

// The language server's start: Node 22.1+ keeps V8's compiled code for the server bundle on
// disk between starts (in the system's temporary directory), which takes about 30 ms off a
// 110 ms start. It has to be switched on before the bundle is loaded, hence this small entry.
// Older Node (an editor's own runtime) simply starts without it.
try {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // a read-only temporary directory: start without the cache
}
require('./language-server-main.cjs');
