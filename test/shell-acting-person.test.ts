// `partnerbot shell --as WHO`: who the operator acts as decides what they may change, so only an
// exact name counts; a fragment, a wildcard or nothing at all is refused with the candidates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findActingPerson, type ActingPerson } from '../src/domain/acting-person.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
beforeAll(async () => {
  f = await shippedPlanFixture();
});
afterAll(async () => {
  await f?.db.drop();
});

const as = (who: string) => findActingPerson(f.bot.db, f.partnershipId, who);
const key = (acting: ActingPerson) => ('person' in acting ? acting.person.key : acting.problem);

describe('--as', () => {
  it('takes exact names, keys and aliases of people and organisations, whatever the case and accents', async () => {
    expect(key(await as('demo-cemr'))).toBe('demo-cemr');
    expect(key(await as('helene MARCHAND'))).toBe('demo-cemr');
    expect(key(await as('  Hélène   Marchand '))).toBe('demo-cemr');
    const amsterdam = key(await as('Amsterdam'));
    expect(amsterdam).toMatch(/^demo-/);
    expect(key(await as('city of amsterdam'))).toBe(amsterdam);
    expect(key(await as('AMSTERDAM'))).toBe(amsterdam);
  });

  it('refuses a fragment of a name and SQL wildcards, instead of acting as whoever they happen to match', async () => {
    for (const who of ['am', 'Amster', '%', '_', 'A%', 'secretar']) {
      expect(await as(who)).toEqual({ problem: `no person or organisation matches "${who}"` });
    }
  });

  it('refuses an empty name, listing organisations to choose from', async () => {
    for (const who of ['', '   ']) {
      const acting = await as(who);
      expect(key(acting)).toMatch(/^give a person or an organisation, e\.g\. one of: .*Amsterdam, .*\(\d+ in all\)$/);
    }
  });

  it('refuses a name several people share, listing their keys', async () => {
    const org = await f.db.prisma.organisation.findFirstOrThrow({ where: { partnershipId: f.partnershipId, key: 'amsterdam' } });
    await f.db.prisma.person.createMany({
      data: ['twin-a', 'twin-b'].map((k) => ({ partnershipId: f.partnershipId, organisationId: org.id, key: k, name: 'Sam Twin' })),
    });
    expect(await as('sam twin')).toEqual({ problem: '"sam twin" is several people: twin-a, twin-b; give a key' });
    expect(key(await as('twin-b'))).toBe('twin-b');
  });

  it('never echoes control characters back to the terminal', async () => {
    expect(key(await as('\u001b[2Jevil'))).toBe('no person or organisation matches "?[2Jevil"');
  });
});
