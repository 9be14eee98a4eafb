/**
 * Entry point: `node dist/server.js --stdio` (any editor) or `--node-ipc`
 * (the VS Code client). Only LSP messages go to stdout. Without a transport
 * it prints a short usage and exits 2; `--help` and `--version` answer and exit.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { VERSION } from '../ide/meta.js';
import { startServer } from './server.js';

const USAGE = `Usage: nixpkgs-instances-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME

The Nixpkgs Instances language server. Editors start it; it speaks the Language Server
Protocol over the transport given (\`--stdio\` for most editors). For a check in a
terminal or CI, use the command line instead: nixpkgs-instances check <folder>.
  --help       this text
  --version    the version
`;

/** What to do with these arguments: serve, or print and exit with a status. */
export function serverCommand(argv: readonly string[]): { serve: true } | { serve: false; stdout: string; stderr: string; code: number } {
  if (argv.includes('--help') || argv.includes('-h')) return { serve: false, stdout: USAGE, stderr: '', code: 0 };
  if (argv.includes('--version') || argv.includes('-v')) return { serve: false, stdout: `${VERSION}\n`, stderr: '', code: 0 };
  const transport = argv.some((a) => a === '--stdio' || a === '--node-ipc' || /^--(socket|pipe)=./.test(a));
  if (!transport) {
    return { serve: false, stdout: '', stderr: `nixpkgs-instances-server: no transport given\n\n${USAGE}`, code: 2 };
  }
  return { serve: true };
}

if (require.main === module) {
  const command = serverCommand(process.argv.slice(2));
  if (!command.serve) {
    process.stdout.write(command.stdout);
    process.stderr.write(command.stderr);
    process.exitCode = command.code;
  } else {
    // Nothing may write to stdout but the connection: route stray console output to stderr.
    console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

    // A promise nobody awaited that fails (a client answering a server request with an error, a write to
    // a closed pipe) must not end the process, as Node does by default: log it and keep serving.
    process.on('unhandledRejection', (reason) => {
      console.error(`nixpkgs-instances: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
    });

    startServer(createConnection(ProposedFeatures.all));
  }
}
