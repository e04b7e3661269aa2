// The layering the code promises, checked on every run: configuration is read from the environment in
// one place; adapters, commands and the domain reach the core and the delivery layer, never the
// scheduler; and the core knows no adapter except in the one module that assembles the process.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CONFIG = 'src/config.ts';
const ASSEMBLY = 'src/cli.ts';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|mjs|js)$/.test(f))
    .map((f) => join(dir, f));
}

const files = ['src', 'adapters', 'commands'].flatMap(sources);
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Project-relative paths of the modules a file imports (static or dynamic), relative ones only. */
function imports(file: string): string[] {
  const specifiers = [...text(file).matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

describe('the shape of the code', () => {
  it('finds the sources it checks', () => {
    expect(files).toContain(CONFIG);
    expect(files).toContain(ASSEMBLY);
    expect(files.some((f) => f.startsWith('adapters/slack/'))).toBe(true);
    expect(imports('adapters/slack/transport.ts')).toContain('src/delivery/transport.ts');
  });

  it('reads the environment only in src/config.ts', () => {
    const readers = files.filter((f) => f !== CONFIG && /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/.test(text(f)));
    expect(readers).toEqual([]);
  });

  it('keeps adapters off the scheduler: they deliver through src/delivery', () => {
    const offenders = files.filter((f) => f.startsWith('adapters/')).flatMap((f) => imports(f).filter((i) => i.startsWith('src/scheduler/')).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('keeps commands and the domain off the scheduler: the scheduler builds on them, not the reverse', () => {
    const offenders = files
      .filter((f) => f.startsWith('commands/') || f.startsWith('src/domain/'))
      .flatMap((f) => imports(f).filter((i) => i.startsWith('src/scheduler/')).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('keeps every adapters/*/platform.ts light: a platform SDK loads inside create(), never with the list of platforms', () => {
    const platforms = files.filter((f) => /^adapters\/[^/]+\/platform\.ts$/.test(f));
    expect(platforms).toEqual(expect.arrayContaining(['adapters/discord/platform.ts', 'adapters/slack/platform.ts']));
    const packages = platforms.flatMap((f) =>
      [...text(f).matchAll(/^\s*import\s+(?!type\b)(?:[^'"]*\sfrom\s*)?['"]([^'"]+)['"]/gm)]
        .map((m) => m[1]!)
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
        .map((s) => `${f} → ${s}`),
    );
    expect(packages).toEqual([]);
  });

  it('imports adapters from src/ and commands/ only where the process is assembled', () => {
    const offenders = files
      .filter((f) => !f.startsWith('adapters/') && f !== ASSEMBLY)
      .flatMap((f) => imports(f).filter((i) => i.startsWith('adapters/')).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });
});
