// `node --import ./bench/floors/peak-rss.mjs …`: on exit, writes the process's peak resident set
// size (KB) to the file named by BENCH_PEAK_RSS_TO, so the bench measures every process alike.
// Linux's VmHWM, not getrusage's maxRSS: the latter survives exec, so a child of a large parent (the
// bench, late in a full run) reported the parent's peak as its own.
import { readFileSync, writeFileSync } from 'node:fs';

function peakKb() {
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS;
}

process.on('exit', () => writeFileSync(process.env['BENCH_PEAK_RSS_TO'], String(peakKb())));
