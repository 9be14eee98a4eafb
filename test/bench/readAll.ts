/**
 * The benchmark's floor: a fresh Node process that reads every file of the
 * workspace and decodes it as UTF-8, as the analysis must before anything
 * else. `node readAll.js LIST` where LIST holds one absolute path per line;
 * prints `{"files":N,"bytes":B}`.
 */
import { readFileSync } from 'node:fs';

const decoder = new TextDecoder('utf-8', { fatal: true });
const paths = readFileSync(process.argv[2], 'utf8').split('\n').filter((p) => p !== '');
let bytes = 0;
let chars = 0;
for (const path of paths) {
  const data = readFileSync(path);
  bytes += data.length;
  chars += decoder.decode(data).length;
}
process.stdout.write(JSON.stringify({ files: paths.length, bytes, chars }) + '\n');
