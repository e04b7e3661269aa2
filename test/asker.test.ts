// Where and who is asking, read in one statement (src/core/asker.ts): the same partnership, person
// and roles that Prisma's own lookups give, and the same precedence between a signed link, a channel's
// binding, the workspace's and the configured default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/app.ts';
import { findAsker } from '../src/core/asker.ts';
import { rolesOf } from '../src/core/context.ts';
import { renderText } from '../src/delivery/plain-text.ts';
import { freshDatabase, shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
const db = () => f.db.prisma;
const SLACK = { platform: 'slack', workspaceId: 'T1' };

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-20');
  const people = await db().person.findMany({ where: { partnershipId: f.partnershipId } });
  await db().chatIdentity.createMany({ data: people.map((p) => ({ personId: p.id, ...SLACK, externalId: `U-${p.key}` })) });
});
afterAll(async () => {
  await f?.db.drop();
});

/** A second partnership, its own person linked on the same Slack workspace. */
async function otherPartnership(slug: string) {
  const other = await db().partnership.create({ data: { slug, name: `Other ${slug}` } });
  const stranger = await db().person.create({ data: { partnershipId: other.id, key: `stranger-${slug}`, name: 'Stranger' } });
  await db().chatIdentity.create({ data: { personId: stranger.id, ...SLACK, externalId: `U-stranger-${slug}` } });
  return { other, stranger };
}

describe('who is asking, in one statement', () => {
  it('gives every person of the shipped plan exactly the partnership, person and roles that Prisma reads', async () => {
    const partnership = await db().partnership.findUniqueOrThrow({ where: { id: f.partnershipId } });
    const people = await db().person.findMany({ where: { partnershipId: f.partnershipId }, orderBy: { key: 'asc' } });
    let coLeaders = 0;
    for (const person of people) {
      const asker = await findAsker(db(), { ...SLACK, userId: `U-${person.key}`, defaultSlug: partnership.slug });
      expect(asker.partnership).toEqual(partnership);
      expect(asker.person, person.key).toEqual(person);
      expect(asker.roles, person.key).toEqual(await rolesOf(db(), f.partnershipId, person));
      if (asker.roles.coLeads.length) coLeaders++;
    }
    // Where nothing names a partnership, the database's only one.
    expect((await findAsker(db(), { ...SLACK })).partnership).toEqual(partnership);
    // The comparison means something only if the plan has people with roles, and several kinds.
    expect(coLeaders).toBeGreaterThan(3);
    expect(people.some((p) => p.key === 'demo-secretariat')).toBe(true);
  });

  it('takes a signed link first, then the channel, then the workspace, then the configured default', async () => {
    const partnership = await db().partnership.findUniqueOrThrow({ where: { id: f.partnershipId } });
    const byChannel = await otherPartnership('by-channel');
    const byWorkspace = await otherPartnership('by-workspace');
    const byLink = await otherPartnership('by-link');
    await db().channelBinding.create({ data: { partnershipId: byChannel.other.id, ...SLACK, channelId: 'C-bound', scope: 'partnership' } });
    await db().workspaceBinding.create({ data: { partnershipId: byWorkspace.other.id, platform: 'slack', workspaceId: 'T-bound' } });
    await db().channelBinding.create({ data: { partnershipId: byChannel.other.id, platform: 'slack', workspaceId: 'T-bound', channelId: 'C-in-bound', scope: 'partnership' } });
    const slugOf = async (where: Parameters<typeof findAsker>[1]) => (await findAsker(db(), where)).partnership?.slug ?? null;

    expect(await slugOf({ ...SLACK, defaultSlug: partnership.slug })).toBe(partnership.slug);
    expect(await slugOf({ ...SLACK })).toBeNull();
    expect(await slugOf({ ...SLACK, channelId: 'C-bound', defaultSlug: partnership.slug })).toBe('by-channel');
    expect(await slugOf({ platform: 'slack', workspaceId: 'T-bound', defaultSlug: partnership.slug })).toBe('by-workspace');
    expect(await slugOf({ platform: 'slack', workspaceId: 'T-bound', channelId: 'C-in-bound', defaultSlug: partnership.slug })).toBe('by-channel');
    expect(await slugOf({ platform: 'discord', workspaceId: 'T-bound', defaultSlug: partnership.slug })).toBe(partnership.slug);
    expect(await slugOf({ ...SLACK, channelId: 'C-bound', trustedPartnershipId: byLink.other.id })).toBe('by-link');
    // A link naming a partnership that is gone falls back to the bindings.
    expect(await slugOf({ ...SLACK, channelId: 'C-bound', trustedPartnershipId: 'gone' })).toBe('by-channel');
  });

  it('is nobody for an unlinked account, a person removed from the roster, or a person of another partnership', async () => {
    const partnership = await db().partnership.findUniqueOrThrow({ where: { id: f.partnershipId } });
    const { other, stranger } = await otherPartnership('elsewhere');
    const here = { ...SLACK, defaultSlug: partnership.slug };
    const nobody = { coordinator: false, secretariat: false, coLeads: [], memberOf: [] };

    expect(await findAsker(db(), { ...here, userId: 'U-never-linked' })).toMatchObject({ person: null, roles: nobody });
    expect(await findAsker(db(), { ...here, userId: `U-${stranger.key}` })).toMatchObject({ person: null, roles: nobody });
    expect((await findAsker(db(), { ...SLACK, userId: `U-${stranger.key}`, defaultSlug: other.slug })).person?.id).toBe(stranger.id);
    expect((await findAsker(db(), { ...here })).person).toBeNull();

    const leaver = await db().person.create({ data: { partnershipId: f.partnershipId, key: 'leaver', name: 'Leaver' } });
    await db().chatIdentity.create({ data: { personId: leaver.id, ...SLACK, externalId: 'U-leaver' } });
    await db().partnershipRole.create({ data: { partnershipId: f.partnershipId, role: 'secretariat', personId: leaver.id } });
    expect((await findAsker(db(), { ...here, userId: 'U-leaver' })).roles.secretariat).toBe(true);
    await db().person.update({ where: { id: leaver.id }, data: { removedAt: new Date() } });
    expect(await findAsker(db(), { ...here, userId: 'U-leaver' })).toMatchObject({ person: null, roles: nobody });
  });

  it('takes a signed link\'s person at its word, whatever account the link is opened from, unless removed', async () => {
    const secretariat = await db().person.findFirstOrThrow({ where: { partnershipId: f.partnershipId, key: 'demo-secretariat' } });
    const asker = await findAsker(db(), { platform: 'email', workspaceId: 'links', userId: 'someone@example.org', trustedPartnershipId: f.partnershipId, trustedPersonId: secretariat.id });
    expect(asker.person?.id).toBe(secretariat.id);
    expect(asker.roles.secretariat).toBe(true);
    const gone = await db().person.create({ data: { partnershipId: f.partnershipId, key: 'gone', name: 'Gone', removedAt: new Date() } });
    expect((await findAsker(db(), { platform: 'email', workspaceId: 'links', trustedPartnershipId: f.partnershipId, trustedPersonId: gone.id })).person).toBeNull();
  });

  it('says why when nothing names a partnership: none is set up, or several and none is bound here', async () => {
    const ask = { platform: 'slack', workspaceId: 'T-unbound', userId: 'U1', displayName: 'Alex', text: 'actions' };
    await otherPartnership('one-of-several');
    expect(renderText(await createBot({ db: db(), clock: f.clock }).handle(ask))).toContain('This workspace is not bound to a partnership.');
    const empty = await freshDatabase();
    try {
      expect(renderText(await createBot({ db: empty.prisma, clock: f.clock }).handle(ask))).toContain('No partnership is set up yet.');
    } finally {
      await empty.drop();
    }
  });
});
