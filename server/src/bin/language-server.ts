import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server.ts';

// --stdio, --node-ipc and --socket=N are read from the command line by createConnection
if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stderr.write('usage: iptables-language-server --stdio | --node-ipc | --socket=PORT\n');
  process.exit(2);
}
startServer(createConnection(ProposedFeatures.all));
