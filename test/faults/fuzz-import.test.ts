// The work-plan importer under bad files and failing writes. A file is either rejected with a
// WorkPlanError naming where each problem is, or imported; and an import that fails half-way leaves
// the database exactly as it was (it is one transaction).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SHIPPED_WORKPLAN } from '../../src/config.ts';
import type { Db } from '../../src/persistence/database.ts';
import { importWorkPlan } from '../../src/workplan/import.ts';
import { parseWorkPlan, WorkPlanError } from '../../src/workplan/load.ts';
import type { WorkPlan } from '../../src/workplan/format.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { counts } from './support.ts';

const SHIPPED_TEXT = readFileSync(SHIPPED_WORKPLAN, 'utf8');
const SHIPPED = parse(SHIPPED_TEXT) as unknown;

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await importWorkPlan(db.prisma, parseWorkPlan(SHIPPED_TEXT));
});
afterAll(async () => {
  await db?.drop();
});

/** Parses, and checks that a rejection is a WorkPlanError whose every line says where the problem is. */
function parseOrExplain(text: string): WorkPlan | undefined {
  try {
    return parseWorkPlan(text, 'fuzz.yaml');
  } catch (e) {
    if (!(e instanceof WorkPlanError)) throw new Error(`not a WorkPlanError: ${String(e)}`, { cause: e });
    expect(e.message).toMatch(/^fuzz\.yaml: \d+ problems?\n/);
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      // "path.in[0].file: what is wrong"; for broken YAML syntax, the line and column; or the alias at fault.
      expect(p).toMatch(/^(\(top level\)|\S+): \S|at line \d+, column \d+|alias/);
      expect(p).not.toContain('[object Object]');
    }
    return undefined;
  }
}

type Op = { path: number[]; kind: 'delete' | 'replace' | 'duplicate' | 'hostile'; value: unknown };

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', 'tbc', '2025-13', '2025-10..2025-01', 'Oct 2025', '9999-12-31', '-1', 'null', '~', '<<', '&a', '*a', '!!binary x', '\u0000', 'x'.repeat(5000)),
  fc.integer(),
  fc.double(),
  fc.constant(null),
);

const op: fc.Arbitrary<Op> = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  kind: fc.constantFrom('delete', 'replace', 'duplicate', 'hostile'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostile),
});

/** Applies one mutation at a node chosen by walking `path` (each number picks a child). */
function mutate(root: unknown, { path, kind, value }: Op): unknown {
  const copy = structuredClone(root);
  let parent: Record<string | number, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  let node: unknown = copy;
  for (const step of path) {
    if (node === null || typeof node !== 'object') break;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node as Record<string, unknown>;
    key = keys[step % keys.length]!;
    node = (parent as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || key === undefined) return kind === 'replace' ? value : copy;
  const slot = parent as Record<string | number, unknown>;
  if (kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete slot[key];
  } else if (kind === 'duplicate' && Array.isArray(parent)) parent.push(structuredClone(node));
  else slot[key] = value;
  return copy;
}

describe('work-plan importer fuzzing', () => {
  it('any YAML document is rejected with located problems, never an unexplained crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)), fc.string({ unit: 'grapheme', maxLength: 200 })), (text) => {
        parseOrExplain(text);
      }),
      // Found by this test: an alias to a missing anchor made yaml throw a bare ReferenceError.
      { numRuns: 500, examples: [['*!'], ['actions:\n  - coLeaders: *typo']] },
    );
  });

  it('random mutations of the shipped plan are accepted or rejected with located problems', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 4 }), (ops) => {
        parseOrExplain(stringify(ops.reduce(mutate, SHIPPED)));
      }),
      { numRuns: 80 },
    );
  });

  it('random edits of the shipped YAML text are accepted or rejected with located problems', () => {
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 40 }), insert: fc.constantFrom('', ':', '-', '  ', '\n', '"', '[', '{', '#', '\t', '- x', 'key: value') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const text = edits.reduce((t, e) => {
          const at = e.at % t.length;
          return t.slice(0, at) + e.insert + t.slice(at + e.remove);
        }, SHIPPED_TEXT);
        parseOrExplain(text);
      }),
      { numRuns: 80 },
    );
  });

  it('a mutated plan that validates imports cleanly; one that fails leaves every count unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 3 }), async (ops) => {
        const plan = parseOrExplain(stringify(ops.reduce(mutate, SHIPPED)));
        if (!plan) return;
        const before = await counts(db.prisma);
        try {
          await importWorkPlan(db.prisma, plan);
        } catch (e) {
          expect(await counts(db.prisma)).toEqual(before);
          throw new Error(`a plan that passed validation failed to import: ${(e as Error).message.split('\n').slice(-3).join(' ')}`);
        }
      }),
      { numRuns: 30 },
    );
  });
});

class Rollback extends Error {
  constructor(readonly writes: number) {
    super('rollback');
  }
}

class InjectedFault extends Error {}

const WRITES = new Set(['create', 'createMany', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany']);

/** A Db whose import transaction fails at its `failAt`-th write, or rolls back at the end reporting how many writes it made. */
function faultyDb(real: Db, failAt: number): Db {
  let writes = 0;
  const wrapTx = (tx: object) =>
    new Proxy(tx, {
      get(target, model) {
        const delegate = Reflect.get(target, model) as unknown;
        if (typeof model !== 'string' || model.startsWith('$') || delegate === null || typeof delegate !== 'object') return delegate;
        return new Proxy(delegate, {
          get(d, method) {
            const fn = Reflect.get(d, method) as unknown;
            if (typeof fn !== 'function' || !WRITES.has(String(method))) return fn;
            return (...args: unknown[]) => {
              if (++writes === failAt) throw new InjectedFault(`injected failure at write ${writes}`);
              return (fn as (...a: unknown[]) => unknown).apply(d, args);
            };
          },
        });
      },
    });
  return new Proxy(real, {
    get(target, prop) {
      if (prop !== '$transaction') return Reflect.get(target, prop) as unknown;
      return (fn: (tx: object) => Promise<unknown>, options?: object) =>
        target.$transaction(async (tx) => {
          const result = await fn(wrapTx(tx));
          if (failAt === Infinity) throw new Rollback(writes);
          return result;
        }, options);
    },
  });
}

describe('an import that fails half-way', () => {
  it('writes nothing, wherever the failure strikes', async () => {
    const other = parseWorkPlan(SHIPPED_TEXT.replace('slug: inclusion-of-migrants', 'slug: fault-injection'));
    const total = await importWorkPlan(faultyDb(db.prisma, Infinity), other).then(
      () => 0,
      (e: unknown) => (e instanceof Rollback ? e.writes : 0),
    );
    expect(total).toBeGreaterThan(100);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: total }), async (failAt) => {
        const before = await counts(db.prisma);
        await expect(importWorkPlan(faultyDb(db.prisma, failAt), other)).rejects.toBeInstanceOf(InjectedFault);
        expect(await counts(db.prisma)).toEqual(before);
      }),
      { numRuns: 6, examples: [[1], [total]] },
    );
  });
});
