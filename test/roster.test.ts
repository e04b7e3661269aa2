// The roster run from chat: organisations, people, Action groups and co-leaders, by the secretariat,
// audited, announced to the Action, and followed by the scheduler from its next tick.
import { describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/bot.ts';
import { parseInstant } from '../src/core/clock.ts';
import { candidates } from '../src/domain/candidates.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const f = shippedPlanForFile('2025-11-20');

const SECRETARIAT = 'demo-secretariat';
const MEMBER = 'demo-milan';
const db = () => f.db.prisma;

const run = (line: string, as?: string, extra: Partial<Invocation> = {}) => runAs(f, line, as, extra);

describe('organisations', () => {
  it('org add, rename and remove: saved and audited; refused while it co-leads or has people', async () => {
    const added = await run('org add "City of Lyon" --short Lyon --kind city --country fr', SECRETARIAT);
    expect(added.reply.error).toBeFalsy();
    expect(await db().organisation.findFirstOrThrow({ where: { key: 'lyon' } })).toMatchObject({ name: 'City of Lyon', shortName: 'Lyon', kind: 'city', country: 'FR' });
    expect((await run('org add "City of Lyon"', SECRETARIAT)).out).toContain('City of Lyon is already a member organisation.');
    expect((await run('org add Somewhere --kind planet', SECRETARIAT)).reply.error).toBe(true);
    expect((await run('org add Somewhere --country France', SECRETARIAT)).out).toContain('a two-letter country code');

    expect((await run('org rename Lyon "Lyon Metropolis"', SECRETARIAT)).out).toContain('City of Lyon (Lyon) is now Lyon Metropolis (Lyon).');
    expect((await run('whois Lyon')).out).toContain('Organisation: Lyon Metropolis (Lyon)');

    const flanders = await run('org remove Flanders', SECRETARIAT);
    expect(flanders.out).toContain('Flanders Region co-leads A1, A3, so it cannot be removed.');
    expect(await db().auditEntry.count({ where: { entityCode: 'org remove', verb: 'refused' } })).toBe(1);
    expect((await run('org remove Warsaw', SECRETARIAT)).out).toMatch(/Warsaw still has people: .+\./);

    await run('action members A2 add Lyon', SECRETARIAT);
    const removed = await run('org remove Lyon', SECRETARIAT);
    expect(removed.out).toContain('Lyon Metropolis is no longer a member organisation; it left the action groups of A2.');
    // Kept as removed (so a re-import does not bring it back), gone from every lookup and suggestion.
    expect((await db().organisation.findFirstOrThrow({ where: { key: 'lyon' } })).removedAt).not.toBeNull();
    expect(await db().actionRole.count({ where: { organisation: { key: 'lyon' } } })).toBe(0);
    expect((await run('action members A2 add Lyon', SECRETARIAT)).out).toContain('No organisation matches "Lyon".');
    expect((await run('members')).out).not.toContain('Lyon');
    expect((await candidates(db(), f.partnershipId, 'organisation')).map((c) => c.value)).not.toContain('Lyon');
    const audit = await db().auditEntry.findMany({ where: { entityCode: 'lyon' }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.verb)).toEqual(['added', 'changed', 'removed']);
  });

  it('only the secretariat and coordinators change the roster', async () => {
    for (const line of ['org add "Town of Nowhere"', 'person add "Ann Other" --org Milan', 'action members A1 add Milan', 'action coleaders A1 Milan', 'person remove demo-warsaw']) {
      const { reply, out } = await run(line, MEMBER);
      expect(reply.error, line).toBe(true);
      expect(out, line).toContain('Only the secretariat or the coordinators');
    }
    expect((await run('org add "Town of Nowhere"')).out).toContain('not linked');
  });
});

describe('people', () => {
  it('person add gives a key and validates e-mail and time zone; person set changes them, audited', async () => {
    const added = await run('person add "Anna Kowalska" --org Warsaw --email anna@example.org --tz Europe/Warsaw', SECRETARIAT);
    expect(added.out).toContain('Key: anna-kowalska');
    expect(added.out).toContain('invite anna-kowalska');
    expect(await db().person.findFirstOrThrow({ where: { key: 'anna-kowalska' }, include: { organisation: true } })).toMatchObject({ email: 'anna@example.org', timeZone: 'Europe/Warsaw', organisation: { name: 'Warsaw' } });
    expect((await run('person add "Anna Kowalska" --org Warsaw', SECRETARIAT)).out).toContain('is already on the roster');
    expect((await run('person add "Bob" --org Warsaw --email nope', SECRETARIAT)).out).toContain('an e-mail address');
    expect((await run('person add "Bob" --org Warsaw --tz Mars/Olympus', SECRETARIAT)).out).toContain('a time zone such as Europe/Warsaw');
    expect((await run('person add "Bob" --org Atlantis', SECRETARIAT)).out).toContain('No organisation matches "Atlantis".');

    const set = await run('person set anna --email anna.k@example.org --org Milan', SECRETARIAT);
    expect(set.out).toContain('e-mail: anna@example.org → anna.k@example.org; organisation: Warsaw → Milan.');
    const audit = await db().auditEntry.findFirstOrThrow({ where: { entityCode: 'anna-kowalska', verb: 'changed' } });
    expect(audit.after).toEqual({ 'e-mail': 'anna.k@example.org', organisation: 'Milan' });
  });

  it('person remove keeps history but unlinks, stops nudges and acting, and refuses oneself', async () => {
    const person = await db().person.findFirstOrThrow({ where: { key: 'demo-milan' } });
    await db().chatIdentity.create({ data: { personId: person.id, platform: 'slack', workspaceId: 'T1', externalId: 'U-MILAN' } });
    await db().outboxMessage.create({ data: { partnershipId: person.partnershipId, key: 'nudge:test:milan', kind: 'nudge', dueAt: new Date(), personId: person.id, payload: {} } });
    expect((await run('person remove demo-secretariat', SECRETARIAT)).out).toContain('You cannot remove yourself.');
    const removed = await run('person remove demo-milan', SECRETARIAT);
    expect(removed.reply.error).toBeFalsy();
    const row = await db().person.findUniqueOrThrow({ where: { id: person.id } });
    expect(row.removedAt).not.toBeNull();
    expect(await db().chatIdentity.count({ where: { personId: person.id } })).toBe(0);
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { key: 'nudge:test:milan' } })).toMatchObject({ status: 'skipped', lastError: 'person removed' });
    expect(await db().auditEntry.count({ where: { actorId: person.id } })).toBeGreaterThan(0);
    // Gone from lookups, and cannot act even through a trusted session.
    expect((await run(`whois ${person.name}`)).out).not.toContain(`Person: ${person.name}`);
    expect((await run('agenda add "A late item"', 'demo-milan')).out).toContain('not linked');
    expect((await run('person remove demo-milan', SECRETARIAT)).out).toContain('No person matches "demo-milan".');
    // Never offered while typing (Discord autocomplete), since every command would refuse them.
    const offered = (await candidates(db(), f.partnershipId, 'person')).map((c) => c.value);
    expect(offered).not.toContain('demo-milan');
    expect(offered).toContain('demo-warsaw');
  });
});

describe('Action groups and co-leaders', () => {
  it('members add/remove and new co-leaders are announced to the Action; nudges go to the new co-leaders from the next tick', async () => {
    const added = await run('action members A2 add Bologna', SECRETARIAT);
    expect(added.reply.announce).toEqual([expect.objectContaining({ scope: 'action', actionNumber: 2 })]);
    expect((await run('members A2')).out).toContain('Bologna');
    expect((await run('action members A2 add Bologna', SECRETARIAT)).out).toContain('already a member of A2');
    expect((await run('action members A2 remove CoR', SECRETARIAT)).out).toContain('co-leads A2');

    const nudgedOn = async (iso: string) => {
      await db().outboxMessage.deleteMany();
      f.clock.set(parseInstant(iso, 'Europe/Brussels'));
      const { planned } = await planAll(f.bot);
      const ids = planned.filter((p) => p.kind === 'nudge' && p.actionNumber === 2).map((p) => p.personId);
      return new Set((await db().person.findMany({ where: { id: { in: ids as string[] } }, include: { organisation: true } })).map((p) => p.organisation!.key));
    };
    // A2's items due 30 Nov: the 7-day nudge on 23/24 Nov goes to CoR and CEB people.
    expect(await nudgedOn('2025-11-24T09:00:00+01:00')).toEqual(new Set(['cor', 'ceb']));
    const changed = await run('action coleaders A2 CoR Bologna', SECRETARIAT);
    expect(changed.out).toContain('A2 Education is now co-led by European Committee of the Regions & Bologna');
    expect(changed.reply.announce).toEqual([expect.objectContaining({ scope: 'action', actionNumber: 2 })]);
    expect(await nudgedOn('2025-11-24T09:00:00+01:00')).toEqual(new Set(['cor', 'bologna']));
    // The former co-leader stays in the group as a member.
    expect((await run('members A2')).out).toMatch(/Members \(\d+\):[^]*Council of Europe Development Bank/);
    expect((await run('action coleaders A2 CoR CoR', SECRETARIAT)).out).toContain('named twice');
    await run('action coleaders A2 CoR CEB', SECRETARIAT);
    await run('action members A2 remove Bologna', SECRETARIAT);
  });
});
