// A preload for `node --require` that watches a process for the things the
// language server promises never to do: write, create, move or delete files,
// start processes, or talk to the network. Every such call is recorded as one
// `abuse-guard: CALL ARGS` line on stderr (and then performed as usual, so the
// process behaves exactly as it would unwatched). Reading files, and writing
// to stdout and stderr, are not recorded. A banner line proves the guard was
// loaded: a test that finds no records but no banner either has proved nothing.
'use strict';

const fs = require('node:fs');
const childProcess = require('node:child_process');
const net = require('node:net');
const tls = require('node:tls');
const http = require('node:http');
const https = require('node:https');
const dgram = require('node:dgram');
const dns = require('node:dns');

const PREFIX = 'abuse-guard:';
let recording = false;

function describe(value) {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? value.slice(0, 200) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Buffer.isBuffer(value) || value instanceof URL) return JSON.stringify(String(value).slice(0, 200));
  if (typeof value === 'function') return 'fn';
  try {
    return JSON.stringify(value).slice(0, 200);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function record(name, args) {
  // A record must never recurse (stderr may itself be a file written with fs).
  if (recording) return;
  recording = true;
  try {
    process.stderr.write(`${PREFIX} ${name}(${Array.from(args, describe).join(', ')})\n`);
  } finally {
    recording = false;
  }
}

/** Replaces `owner[name]` with a wrapper that records a call when `when(args)` holds. */
function watch(owner, name, label, when = () => true) {
  const original = owner && owner[name];
  if (typeof original !== 'function') return;
  const wrapped = function (...args) {
    if (when(args)) record(label, args);
    return new.target ? Reflect.construct(original, args, new.target) : original.apply(this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: original.name });
  owner[name] = wrapped;
}

const { O_WRONLY, O_RDWR, O_CREAT, O_APPEND, O_TRUNC } = fs.constants;
/** Whether open flags allow writing (or creating): 'w', 'a', '+' modes or the equivalent bits. */
function writes(flags) {
  if (flags === undefined || flags === null) return false;
  if (typeof flags === 'number') return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_APPEND | O_TRUNC)) !== 0;
  return /[wa+]/.test(String(flags));
}

// Writes to file descriptors other than stdout and stderr (a descriptor opened for writing is caught at
// its open already; this also catches descriptors inherited or opened by other means).
const toFile = (args) => typeof args[0] === 'number' && args[0] > 2;

const FS_WRITES = [
  'writeFile', 'appendFile', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp',
  'link', 'symlink', 'truncate', 'ftruncate', 'chmod', 'fchmod', 'lchmod', 'chown', 'fchown', 'lchown',
  'utimes', 'futimes', 'lutimes',
];
for (const name of FS_WRITES) {
  watch(fs, name, `fs.${name}`);
  watch(fs, `${name}Sync`, `fs.${name}Sync`);
  watch(fs.promises, name, `fs.promises.${name}`);
}
watch(fs, 'createWriteStream', 'fs.createWriteStream');
watch(fs, 'open', 'fs.open', (a) => writes(a[1]));
watch(fs, 'openSync', 'fs.openSync', (a) => writes(a[1]));
watch(fs.promises, 'open', 'fs.promises.open', (a) => writes(a[1]));
for (const name of ['write', 'writeSync', 'writev', 'writevSync']) watch(fs, name, `fs.${name}`, toFile);

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  watch(childProcess, name, `child_process.${name}`);
}

watch(net, 'connect', 'net.connect');
watch(net, 'createConnection', 'net.createConnection');
watch(net, 'createServer', 'net.createServer');
watch(net.Socket.prototype, 'connect', 'net.Socket.connect');
watch(net.Server.prototype, 'listen', 'net.Server.listen');
watch(tls, 'connect', 'tls.connect');
for (const mod of [['http', http], ['https', https]]) {
  watch(mod[1], 'request', `${mod[0]}.request`);
  watch(mod[1], 'get', `${mod[0]}.get`);
  watch(mod[1], 'createServer', `${mod[0]}.createServer`);
}
watch(dgram, 'createSocket', 'dgram.createSocket');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  watch(dns, name, `dns.${name}`);
  watch(dns.promises, name, `dns.promises.${name}`);
}
if (typeof globalThis.fetch === 'function') watch(globalThis, 'fetch', 'fetch');

process.stderr.write(`${PREFIX} watching process ${process.pid}\n`);
