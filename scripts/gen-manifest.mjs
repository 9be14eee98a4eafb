// Writes the settings schema (server/src/ide/settings.ts, compiled to out/) into
// package.json's contributes.configuration. Run after `tsc -b`; a unit test fails
// while the manifest and the schema disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { manifestProperties } = require(join(root, 'out', 'server', 'src', 'ide', 'settings.js'));
const file = join(root, 'package.json');
const manifest = JSON.parse(readFileSync(file, 'utf8'));
manifest.contributes.configuration = { title: 'Nixpkgs Instances', properties: manifestProperties() };
writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
console.error('package.json: contributes.configuration updated');
