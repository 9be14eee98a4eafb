/**
 * Preloaded (`node --require`) into a measured Node process when GNU time is
 * not installed: at exit it writes the process's own peak resident set size
 * (KiB) and CPU time (microseconds) to stderr after a marker, for measure.ts.
 */
import { PROBE_MARKER } from './measure.js';

process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(`\n${PROBE_MARKER}${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
