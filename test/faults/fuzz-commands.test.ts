// Hostile input through the one entry point every adapter uses. Whatever is typed (or sent as
// structured Discord options), Bot.handle answers with a Reply; an unexpected exception would surface
// as the generic "Something went wrong", which must never happen: bad input deserves a precise message.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot, Invocation } from '../../src/core/bot.ts';
import { describeArgs } from '../../src/core/command.ts';
import { registry } from '../../src/app.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';
import { GENERIC_ERROR, recordingBot, runAs } from './support.ts';

let f: Fixture;
let bot: Bot;
let errors: string[];
let secretariatId: string;

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-20');
  ({ bot, errors } = recordingBot(f.db.prisma, f.clock));
  secretariatId = (await f.db.prisma.person.findFirstOrThrow({ where: { key: 'demo-secretariat' } })).id;
});
afterAll(async () => {
  await f?.db.drop();
});

const names = registry.commands.map((c) => c.name);

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('"', '“', '”', '„', "'", '‘', '’', '\\', '\0', '\u202e', '\u200b', '🏳️‍🌈', 'Ω≈ç√', '%s%n', '${x}', "'; DROP TABLE \"Person\"; --", '<script>', '@channel', '<!here>'),
  fc.integer({ min: 2000, max: 5000 }).map((n) => 'x'.repeat(n)),
);

const token = fc.oneof(
  fc.constantFrom('A1', 'A4', 'A0', 'A9', 'a1.2', 'A1.2.1', 'A1.99', 'A1.O2', 'A2.O99', 'P5', 'P0', 'M1', 'A99999999999999999999', 'A1..2', 'A-1'),
  fc.constantFrom('0', '-1', '1e309', 'NaN', 'Infinity', '99999999999999', '3.5', '0x10'),
  fc.constantFrom('2025-12-15', '2025-13-45', '2026-Q5', '2025-10..2025-12', '2025-12..2025-10', '2026', 'tbc', 'next friday', 'in 99999 weeks', '0000-00-00'),
  fc.constantFrom('--days', '--action', '--mine', '--parent', '--plenary', '--minutes', '--open', '--', '---', '--days=3', '-d', '--__proto__', '--constructor'),
  fc.constantFrom('planned', 'in_progress', 'done', 'drafting', 'in_review', 'validated', 'disseminated', 'https://example.org/x', 'javascript:alert(1)'),
  hostileText,
);

// A known command followed by plausible and hostile tokens, some quoted: this reaches the argument
// parsers and handlers, where purely random lines would stop at "Unknown command".
const commandLine = fc
  .tuple(fc.constantFrom(...names, '/partner', 'help'), fc.array(fc.tuple(token, fc.constantFrom('', '"', '“')), { maxLength: 6 }))
  .map(([name, args]) => [name, ...args.map(([t, q]) => (q === '"' ? `"${t}"` : q === '“' ? `“${t}”` : t))].join(' '));

const line = fc.oneof({ weight: 4, arbitrary: commandLine }, { weight: 1, arbitrary: hostileText });

function asSecretariat(text: string): Invocation {
  return { platform: 'shell', workspaceId: 'local', userId: 'demo-secretariat', displayName: 'Alex', text, trustedPersonId: secretariatId };
}

function asStranger(text: string): Invocation {
  return { platform: 'slack', workspaceId: 'T1', userId: 'U-STRANGER', displayName: 'stranger', text };
}

async function expectPreciseAnswer(inv: Invocation): Promise<void> {
  const before = errors.length;
  const { reply, out } = await runAs(bot, inv);
  expect(reply.blocks.length, `empty reply to ${JSON.stringify(inv.text ?? inv.command)}`).toBeGreaterThan(0);
  if (GENERIC_ERROR.test(out) || errors.length > before)
    throw new Error(`unexpected failure for ${JSON.stringify(inv.text ?? inv.command)}: ${errors.slice(before).join('; ')}`);
  expect(out).not.toMatch(/\bat .*\.(ts|js):\d+/);
  if (reply.error) expect(out.trim().length).toBeGreaterThan(10);
}

describe('command parser fuzzing', () => {
  it('typed lines from the secretariat (who may change anything) always get a precise answer', async () => {
    // Found by this test: a NUL character reached PostgreSQL, which refuses it in text; an agenda
    // position beyond PostgreSQL's integer range reached the database.
    const found = [['agenda add \u0000 A1'], ['status A1 "before\u0000after"'], ['agenda remove 99999999999999'], ['agenda order 1 99999999999']] as [string][];
    await fc.assert(fc.asyncProperty(line, (text) => expectPreciseAnswer(asSecretariat(text))), { numRuns: 500, examples: found });
  });

  it('typed lines from an unlinked user are answered or refused, never crash', async () => {
    await fc.assert(fc.asyncProperty(line, (text) => expectPreciseAnswer(asStranger(text))), { numRuns: 200 });
  });

  it('structured options (as Discord sends them) with hostile values get a precise answer', async () => {
    const structured = fc.constantFrom(...registry.commands).chain((def) => {
      const keys = [...describeArgs(def).map((a) => a.name), '__proto__', 'constructor', 'unknown'];
      const value = fc.oneof(token, fc.anything({ maxDepth: 2 }), fc.double(), fc.boolean());
      return fc.record({ name: fc.constant(def.name), options: fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }) });
    });
    await fc.assert(
      fc.asyncProperty(structured, (command) =>
        expectPreciseAnswer({ platform: 'discord', workspaceId: 'G1', userId: '42', displayName: 'd', command, trustedPersonId: secretariatId }),
      ),
      { numRuns: 300 },
    );
  });
});
