/**
 * `nixpkgs-instances check [--format text|json|sarif] [--severity LEVEL] <folder>`:
 * the language server's analysis over a folder, for CI. Only the report goes
 * to stdout; skipped files and the summary go to stderr, in every format.
 * Exit status: 0 nothing at the threshold (default: warning) or above,
 * 1 something was found or a file was analysed only in part (a syntax error
 * hides what follows it), 2 usage or I/O error.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Analysis } from '../ide/analysis.js';
import { DIAGNOSTIC_KINDS, type Severity } from '../ide/diagnostics/index.js';
import { DOCS_URL, VERSION } from '../ide/meta.js';
import { diskAnalysis, indexFolder } from '../node/folder.js';
import { toPosix } from '../node/loader.js';
import { workspaceCost } from '../ide/cost.js';
import { costAfterHoistAll } from '../ide/cost-after-hoist.js';
import { formatCostJson, formatCostText } from './cost-report.js';
import { failed, formatJson, formatSarif, formatText, summarize, summaryLine, type CheckResult, type PartialFile } from './report.js';

const USAGE = `Usage: nixpkgs-instances check [--format text|json|sarif] [--severity LEVEL] [--exclude GLOB]... <folder>
       nixpkgs-instances report [--format text|json] [--exclude GLOB]... <folder>

check: finds every nixpkgs instantiation in the .nix files below <folder> and reports problems.
report: what evaluating every output costs: the package sets each output creates, where and
why, the totals, what Hoist all would leave, and an estimate of memory and time.
  --format    text (default): one line per problem, path:line:col: severity code: message
              json: the instances and diagnostics as JSON (format version 1)
              sarif: SARIF 2.1.0 for code scanning (GitHub and others)
  --severity  the lowest severity that makes the exit status 1: error, warning (default),
              information or hint
  --exclude   a glob (relative to <folder>) of files or folders to leave out; repeatable
  --help, --version
Exit status: 0 no problem at or above the threshold, 1 problems found or a file analysed only
in part (a syntax error), 2 usage or I/O error. A summary goes to stderr in every format.
`;

class UsageError extends Error {}

const FORMATS = ['text', 'json', 'sarif'] as const;
const SEVERITIES: Severity[] = ['error', 'warning', 'information', 'hint'];

export async function main(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        severity: { type: 'string', default: 'warning' },
        exclude: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    err.write(`nixpkgs-instances: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(USAGE);
    return 0;
  }
  if (values.version) {
    out.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const [command, folder, ...rest] = positionals;
    if (command !== 'check' && command !== 'report') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    if (!folder) throw new UsageError('missing <folder>');
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format) || (command === 'report' && format === 'sarif')) {
      throw new UsageError(`unknown format '${values.format}' (use text, json${command === 'report' ? '' : ' or sarif'})`);
    }
    const threshold = values.severity as Severity;
    if (!SEVERITIES.includes(threshold)) {
      throw new UsageError(`unknown severity '${values.severity}' (use ${SEVERITIES.join(', ')})`);
    }
    let root: string;
    try {
      root = realpathSync(resolve(folder));
      if (!statSync(root).isDirectory()) throw new UsageError(`'${folder}' is not a folder`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      err.write(`nixpkgs-instances: cannot read '${folder}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
    if (command === 'report') {
      const { analysis } = await analyseFolder(root, (line) => err.write(line + '\n'), values.exclude ?? []);
      const report = { root: toPosix(root), cost: workspaceCost(analysis.workspace()), hoistAll: costAfterHoistAll(analysis) };
      const cwd = process.cwd();
      out.write(format === 'json' ? formatCostJson(report) : formatCostText(report, (file) => toPosix(relative(cwd, file)) || file));
      return 0;
    }
    const result = await check(root, (line) => err.write(line + '\n'), values.exclude ?? []);
    if (format === 'json') out.write(formatJson(result));
    else if (format === 'sarif') out.write(formatSarif({ ...result, sourceRoot: repositoryRoot(root) }, DIAGNOSTIC_KINDS, VERSION, DOCS_URL));
    else {
      const cwd = process.cwd();
      out.write(formatText(result, (file) => toPosix(relative(cwd, file)) || file));
    }
    // The same summary after every format (the skipped files were told as they were found).
    err.write(summaryLine(summarize(result)) + '\n');
    return failed(result, threshold) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`nixpkgs-instances: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    err.write(`nixpkgs-instances: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

/** A folder loaded into an `Analysis`, as the CLI checks it (also used by `npm run eval:real`). */
export async function analyseFolder(
  root: string,
  log: (line: string) => void,
  exclude: string[] = [],
): Promise<{ analysis: Analysis; files: number; skipped: { path: string; reason: string }[] }> {
  const analysis = await diskAnalysis();
  const { files, skipped } = await indexFolder(analysis, root, { exclude });
  for (const s of skipped) log(`skipped ${toPosix(relative(root, s.path))}: ${s.reason}`);
  return { analysis, files, skipped };
}

export async function check(root: string, log: (line: string) => void, exclude: string[] = []): Promise<CheckResult> {
  const { analysis, files, skipped } = await analyseFolder(root, log, exclude);
  const model = analysis.workspace();
  const partial: PartialFile[] = [];
  for (const entry of [...model.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const { partial: reason, partialAt } = entry.facts;
    if (reason !== null && partialAt !== null) partial.push({ path: entry.path, range: entry.lines.range(partialAt), reason });
  }
  return {
    root: toPosix(root),
    files,
    instances: model.instances,
    diagnostics: analysis.allDiagnostics(),
    skipped,
    partial,
    flakes: model.flakes,
  };
}

/**
 * The repository that holds `folder` (the nearest folder upwards with a `.git`), so SARIF
 * locations resolve when a subfolder is checked; `folder` itself outside a repository.
 */
export function repositoryRoot(folder: string): string {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return toPosix(dir);
    if (dirname(dir) === dir) return toPosix(folder);
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.stdout, process.stderr).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`nixpkgs-instances: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
