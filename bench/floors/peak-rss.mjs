// `node --import ./bench/floors/peak-rss.mjs …`: on exit, writes the process's peak resident set
// size (KB) to the file named by BENCH_PEAK_RSS_TO, so the bench measures every process alike.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env['BENCH_PEAK_RSS_TO'], String(process.resourceUsage().maxRSS)));
