// `node --import ./test/support/record-loads.mjs …`: writes the URL of every module the process
// resolves through the ES module loader, one a line, to the file named by RECORD_LOADS_TO.
import { register } from 'node:module';

register('./record-loads-hooks.mjs', import.meta.url, { data: { file: process.env['RECORD_LOADS_TO'] } });
