import { collectOnMainThreadWhenFewCores } from './batchGc.ts';
import { useCompileCache } from './compileCache.ts';

// The CLI's start: a CI job runs it once per file or per commit, and the compile cache takes
// about a fifth off linting a small file.
useCompileCache();
collectOnMainThreadWhenFewCores(process.argv.slice(2));
require('./iptables-lint-main.cjs');
