/**
 * What the cold index does to be fast must not change what it finds: the walk that goes only
 * into subtrees holding a word reads the facts a walk of every node reads, and indexing a folder
 * on worker threads gives what indexing on one thread gives, also when the workers cannot run.
 * (How fast is for `npm run bench`, never a test.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskAnalysis, indexFolder, type IndexOptions } from '../../server/src/node/folder.js';
import { extractFacts, WordIndex } from '../../server/src/ide/index/extract.js';
import { Analysis, isFlakeFile } from '../../server/src/ide/analysis.js';
import { toPosix } from '../../server/src/node/loader.js';
import { testParser } from '../support/fixture.js';
import { MAX_NESTING } from '../../server/src/syntax/ast.js';
import { MAY_APPLY, MAY_ATTRSET, MAY_SELECT, SUBTREE_WORDS } from '../../server/src/ide/index/vocabulary.js';
import { CORPUS, exampleFiles } from '../fuzz/corpus.js';
import { fuzzEnv } from '../fuzz/env.js';
import { makeInput } from '../fuzz/mutate.js';
import { REPO_ROOT, writeWorkspace } from '../support/workspace.js';

/** Facts as comparable text (argument trees hold Maps). */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? { map: [...v] } : v));
}

const DEEP = [
  `{ x = ${'('.repeat(MAX_NESTING + 200)}import <nixpkgs> { }${')'.repeat(MAX_NESTING + 200)}; }`,
  `let f = import <nixpkgs> { }; in ${Array(MAX_NESTING * 2).fill('a').join(' + ')}`,
  `{ imports = [ ${'[ '.repeat(MAX_NESTING)}./x.nix${' ]'.repeat(MAX_NESTING)} ]; y = ${'{ a = '.repeat(MAX_NESTING + 50)}1${'; }'.repeat(MAX_NESTING + 50)}; }`,
  `{ a = ${'{ b = '.repeat(MAX_NESTING / 2)}import <nixpkgs> { }${'; }'.repeat(MAX_NESTING / 2)}; c = ${'['.repeat(MAX_NESTING - 1)}${']'.repeat(MAX_NESTING - 1)}; }`,
];

test('every word the checks look for is a subtree word, so the walk never passes over a node they read', () => {
  for (const re of [MAY_APPLY, MAY_SELECT, MAY_ATTRSET]) {
    for (const word of re.source.split('|')) assert.ok(SUBTREE_WORDS.includes(word.replace(/\\b/g, '')), `${word} of /${re.source}/`);
  }
  const words = new WordIndex('pkgsCrossimports x-lite-config');
  const found = Array.from({ length: words.count }, (_, k) => `${words.startAt(k)}-${words.endAt(k)}`);
  // Words next to each other all count, each with the shortest word at its start (`import`, not `imports`).
  assert.deepEqual(found, ['0-9', '9-15', '19-30']);
});

test('the walk that goes only into subtrees with words reads the facts a walk of every node reads', async () => {
  const env = await fuzzEnv();
  const texts: { name: string; text: string }[] = [
    ...CORPUS,
    ...exampleFiles(join(REPO_ROOT, 'examples')),
    ...DEEP.map((text, i) => ({ name: `deep-${i}.nix`, text })),
  ];
  for (let i = 0; i < 300; i++) {
    for (const [name, text] of makeInput(7, i, env).files) texts.push({ name: `fuzz-${i}/${name}`, text });
  }
  for (const { name, text } of texts) {
    const tree = env.parser.parse(text);
    try {
      const isFlake = isFlakeFile(name);
      assert.equal(json(extractFacts(tree.rootNode, text, { isFlake })), json(extractFacts(tree.rootNode, text, { isFlake, everyNode: true })), name);
    } finally {
      tree.delete();
    }
  }
});

/** Everything indexing a folder gives: each file's facts, instances, diagnostics, what was left out. */
async function indexed(root: string, options: IndexOptions, onWorkers?: (n: number) => void): Promise<string> {
  const analysis = await diskAnalysis();
  const r = await indexFolder(analysis, root, options);
  onWorkers?.(r.onWorkers);
  const model = analysis.workspace();
  return json({
    files: r.files,
    skipped: r.skipped,
    facts: [...model.files.values()].map((e) => [e.path, e.facts]),
    instances: model.instances,
    diagnostics: analysis.allDiagnostics(),
  });
}

/** A workspace of every fixture file, with a file refused as too slow to parse and one left out for its bytes. */
function fixtureWorkspace(): string {
  const files: Record<string, string> = { 'flake.nix': CORPUS.find((f) => f.role === 'flake')!.text };
  CORPUS.forEach((f, i) => (files[`${f.role === 'flake' ? `flakes/f${i}/flake.nix` : `modules/${i}-${f.name.replace(/\W+/g, '-')}.nix`}`] = f.text));
  files['modules/slow.nix'] = `{ pkgs, ... }: { nixpkgs.overlays = [ ]; x = p${'.a'.repeat(100_000)}; }\n`;
  const ws = writeWorkspace(files);
  writeFileSync(join(ws.root, 'modules', 'binary.nix'), Buffer.from([0x7b, 0, 0x7d]));
  return ws.root;
}

test('indexing on worker threads gives what indexing on one thread gives: examples/ and the fixtures', async () => {
  for (const root of [join(REPO_ROOT, 'examples'), fixtureWorkspace()]) {
    const here = await indexed(root, { workers: 0 });
    let threaded = 0;
    assert.equal(await indexed(root, { workers: 2, workersAfter: 0 }, (n) => (threaded = n)), here, root);
    assert.ok(threaded > 0, 'files were parsed on worker threads');
    // A small folder never starts workers: its first files are parsed here.
    assert.equal(await indexed(root, { workers: 2 }, (n) => (threaded = n)), here, root);
    assert.equal(threaded, 0);
  }
});

test('without a worker script, or with workers that stop, indexing says so once and parses on its own thread', async () => {
  const root = fixtureWorkspace();
  const here = await indexed(root, { workers: 0 });
  const missing: string[] = [];
  assert.equal(await indexed(root, { workers: 2, workersAfter: 0, workerScript: join(root, 'no-such-worker.js'), log: (l) => missing.push(l) }), here);
  assert.equal(missing.length, 1);
  assert.match(missing[0]!, /^indexing on one thread: no worker script at /);
  // A worker that dies at once: the files it held are parsed here.
  const dying = join(root, 'dying-worker.js');
  writeFileSync(dying, 'process.exit(3);\n');
  const lost: string[] = [];
  assert.equal(await indexed(root, { workers: 2, workersAfter: 0, workerScript: dying, log: (l) => lost.push(l) }), here);
  assert.ok(lost.length >= 1 && lost.every((l) => /^indexing worker stopped \(exit code 3\): its files are parsed on the main thread$/.test(l)), lost.join('\n'));
});

test('a closed file whose facts hold nothing keeps no text when the analysis can read it again, and reads back as it is on disk', async () => {
  const root = fixtureWorkspace();
  writeFileSync(join(root, 'modules', 'plain.nix'), '{ lib, ... }:\n{ services.openssh.enable = lib.mkDefault true; # inputs are not used here\n}\n');
  const analysis = await diskAnalysis();
  await indexFolder(analysis, root, { workers: 0 });
  const entry = analysis.workspace().files.get(toPosix(join(root, 'modules', 'plain.nix')))!;
  assert.equal(entry.textDropped, true);
  assert.equal(entry.facts.moduleShaped, true, 'the facts stay');
  for (const path of analysis.paths()) assert.equal(analysis.documentText(path), readFileSync(path, 'utf8'), path);
  // Without a way to read texts again (tests' analyses), every parsed text is kept.
  const inMemory = new Analysis(await testParser());
  inMemory.setFile('/plain.nix', '{ lib, ... }:\n{ inputs = 1; }\n');
  assert.equal(inMemory.workspace().files.get('/plain.nix')!.textDropped, undefined);
});
