import { useCompileCache } from './compileCache.ts';

// The language server's start: the compile cache takes about 30 ms off a 110 ms start. The
// heap's growth is limited once the client has the initialize reply (see language-server.ts).
useCompileCache();
require('./language-server-main.cjs');
