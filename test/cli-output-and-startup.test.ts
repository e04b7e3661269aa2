// The executable as people pipe it and start it: every byte reaches a slow reader, a reader that
// leaves early ends it quietly, and data it cannot use is refused in one line that says what to do.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'partnerbot-cli-'));
const seeded = join(root, 'seeded');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _server, PARTNERBOT_PARTNERSHIP: _p, PARTNERBOT_WORKPLAN: _w, ...rest } = process.env;
  return { ...rest, PARTNERBOT_DATA_DIR: seeded, ...extra };
}

function partnerbot(args: string[], extra: Record<string, string> = {}, input = '') {
  return spawnSync(process.execPath, ['bin/partnerbot.mjs', ...args], { input, encoding: 'utf8', env: env(extra), timeout: 90_000 });
}

function sh(script: string) {
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', env: env({}), timeout: 120_000 });
}

/** The one line a refused start prints. */
function refusal(run: ReturnType<typeof partnerbot>): string {
  expect(run.status).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\[object Object\]|Something went wrong|^\s+at /m);
  return lines[0]!;
}

beforeAll(() => {
  if (embeddedRun) expect(partnerbot(['shell'], {}, 'me\n').status).toBe(0);
}, 120_000);

// Embedded-only: the run against the PostgreSQL server (DATABASE_URL) has nothing to add here.
const embeddedRun = !process.env.DATABASE_URL;

describe.runIf(embeddedRun)('output through pipes', { timeout: 180_000 }, () => {
  const timelines = `(for i in $(seq 40); do echo timeline; done)`;

  it('a reader that only starts reading once the writer is done gets every byte', () => {
    const whole = sh(`${timelines} | node bin/partnerbot.mjs shell --now 2025-11-20 > ${root}/whole.txt; wc -c < ${root}/whole.txt`);
    const expected = Number(whole.stdout.trim());
    expect(expected).toBeGreaterThan(150_000);
    // The reader waits until the writer has exited, or sits idle (waiting for the reader, as it should):
    // what the writer left in its own buffers at exit is then lost for good.
    const slow = sh(`
      pidfile=${root}/writer.pid; rm -f $pidfile
      ${timelines} | (echo $BASHPID > $pidfile; exec node bin/partnerbot.mjs shell --now 2025-11-20) | (
        until [ -s $pidfile ]; do sleep 0.05; done; pid=$(cat $pidfile); last=; idle=0
        while kill -0 $pid 2>/dev/null && [ $idle -lt 15 ]; do
          cpu=$(awk '{print $14 + $15}' /proc/$pid/stat 2>/dev/null)
          if [ "$cpu" = "$last" ]; then idle=$((idle + 1)); else idle=0; last=$cpu; fi
          sleep 0.2
        done
        wc -c)`);
    expect(Number(slow.stdout.trim())).toBe(expected);
  });

  it('a reader that stops early (| head) ends the shell quietly', () => {
    const run = sh(`${timelines} | node bin/partnerbot.mjs shell --now 2025-11-20 2> ${root}/head.err | head -3; echo "status \${PIPESTATUS[1]}"`);
    expect(run.stdout).toMatch(/status 0\n$/);
    expect(run.stdout.split('\n')).toHaveLength(5);
    const err = sh(`cat ${root}/head.err`).stdout;
    expect(err).not.toMatch(/EPIPE|Error|at /);
  });
});

describe.runIf(embeddedRun)('start-up on data it cannot use', { timeout: 180_000 }, () => {
  it('PARTNERBOT_DATA_DIR naming a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    expect(refusal(partnerbot(['shell'], { PARTNERBOT_DATA_DIR: file }))).toBe(
      `partnerbot: PARTNERBOT_DATA_DIR=${file} is a file, not a directory: set it to a directory (it is created if missing).`,
    );
  });

  it('a directory holding other things', () => {
    const dir = join(root, 'photos');
    mkdirSync(dir);
    writeFileSync(join(dir, 'holiday.jpg'), '');
    expect(refusal(partnerbot(['shell'], { PARTNERBOT_DATA_DIR: dir }))).toContain(`PARTNERBOT_DATA_DIR=${dir} is not a partnerbot database (it holds holiday.jpg): set it to a new or empty directory.`);
    expect(readdirSync(dir)).toEqual(['holiday.jpg']);
  });

  it('a database of another PostgreSQL major version', () => {
    const dir = join(root, 'pg16');
    mkdirSync(dir);
    writeFileSync(join(dir, 'PG_VERSION'), '16\n');
    expect(refusal(partnerbot(['shell'], { PARTNERBOT_DATA_DIR: dir }))).toContain('was written by PostgreSQL 16; this partnerbot embeds PostgreSQL 17');
  });

  it('a damaged database', () => {
    const dir = join(root, 'damaged');
    mkdirSync(join(dir, 'pgdata'), { recursive: true });
    writeFileSync(join(dir, 'pgdata', 'PG_VERSION'), '17\n');
    expect(refusal(partnerbot(['shell'], { PARTNERBOT_DATA_DIR: dir }))).toMatch(/The embedded database in .*damaged\/pgdata cannot be opened \(.+\)\. It is damaged or was not written by partnerbot: move the directory aside/);
  });

  it('a database upgraded by a newer partnerbot', async () => {
    const dir = join(root, 'newer');
    expect(partnerbot(['migrate'], { PARTNERBOT_DATA_DIR: dir }).status).toBe(0);
    const lite = new PGlite(join(dir, 'pgdata'));
    await lite.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x', 'x', '29990101000000_from_the_future', now(), 1)`);
    await lite.close();
    expect(refusal(partnerbot(['shell'], { PARTNERBOT_DATA_DIR: dir }))).toBe(
      'partnerbot: The database was upgraded by a newer partnerbot (migration 29990101000000_from_the_future is unknown to this version): upgrade partnerbot.',
    );
  });

  it('a work plan that cannot be read: nothing is left half-created', () => {
    const dir = join(root, 'no-plan');
    expect(refusal(partnerbot(['shell'], { PARTNERBOT_DATA_DIR: dir, PARTNERBOT_WORKPLAN: join(root, 'missing.yaml') }))).toBe(
      `partnerbot: PARTNERBOT_WORKPLAN=${join(root, 'missing.yaml')} cannot be read (no such file).`,
    );
    expect(existsSync(join(dir, 'pgdata'))).toBe(false);
    expect(refusal(partnerbot(['import', root]))).toBe(`partnerbot: ${root} cannot be read (it is a directory, not a file).`);
  });

  it('a PARTNERBOT_PARTNERSHIP that names no partnership', () => {
    expect(refusal(partnerbot(['shell'], { PARTNERBOT_PARTNERSHIP: 'inclusion-of-migrans' }))).toBe(
      'partnerbot: PARTNERBOT_PARTNERSHIP=inclusion-of-migrans: no such partnership (the database has inclusion-of-migrants).',
    );
  });
});
