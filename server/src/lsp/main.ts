/**
 * Entry point: `node dist/server.js --stdio` (any editor) or `--node-ipc`
 * (the VS Code client). Only LSP messages go to stdout.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

// Nothing may write to stdout but the connection: route stray console output to stderr.
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

startServer(createConnection(ProposedFeatures.all));
