/**
 * Entry point: `node dist/server.js --stdio` (any editor) or `--node-ipc`
 * (the VS Code client). Only LSP messages go to stdout.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

// Nothing may write to stdout but the connection: route stray console output to stderr.
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

// A promise nobody awaited that fails (a client answering a server request with an error, a write to
// a closed pipe) must not end the process, as Node does by default: log it and keep serving.
process.on('unhandledRejection', (reason) => {
  console.error(`nixpkgs-instances: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
});

startServer(createConnection(ProposedFeatures.all));
