import { writeFileSync } from 'node:fs';

/**
 * Preloaded with `node --import` by the start-up bench: when the process exits it writes its own
 * CPU time (user + sys, microseconds) to KJD_CPU_PROBE_OUT, since Node cannot read a child's rusage.
 */
const out = process.env['KJD_CPU_PROBE_OUT'];
if (out !== undefined)
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(out, JSON.stringify({ user, system }));
  });
