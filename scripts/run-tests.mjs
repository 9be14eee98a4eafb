// Runs the compiled unit tests (out/test/unit/**/*.test.js) with Node's test
// runner. Listing the files here keeps the command the same on Node 20 and 22+,
// whose --test argument handling differs. Extra arguments select files by substring.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const dir = join(root, 'out', 'test', 'unit');
const filters = process.argv.slice(2);
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => join(dir, f))
  .filter((f) => filters.length === 0 || filters.some((s) => relative(dir, f).includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files matched under ${dir}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
