// What a partly typed id or name may complete to (A1, A1.3, A1.O2, P4, people, organisations), with
// the titles shown next to them: for any adapter that suggests while the user types.
import type { Completion } from '../core/command.ts';
import type { Db } from '../persistence/database.ts';
import { compareCodes } from './ids.ts';

export interface Candidate {
  /** What the option receives, e.g. "A1.3". */
  value: string;
  /** What the user sees next to it. */
  label: string;
}

const byCode = (a: Candidate, b: Candidate) => compareCodes(a.value, b.value);

export async function candidates(db: Db, partnershipId: string, kind: Completion): Promise<Candidate[]> {
  const inPartnership = { action: { partnershipId } };
  switch (kind) {
    case 'action':
      return (await db.action.findMany({ where: { partnershipId }, orderBy: { number: 'asc' } })).map((a) => ({
        value: `A${a.number}`,
        label: a.shortTitle,
      }));
    case 'activity':
      return (await db.activity.findMany({ where: inPartnership })).map((a) => ({ value: a.code, label: a.title })).sort(byCode);
    case 'output':
      return (await db.output.findMany({ where: inPartnership })).map((o) => ({ value: o.code, label: o.title })).sort(byCode);
    case 'item': {
      const [actions, activities, outputs] = await Promise.all([
        candidates(db, partnershipId, 'action'),
        candidates(db, partnershipId, 'activity'),
        candidates(db, partnershipId, 'output'),
      ]);
      return [...actions, ...activities, ...outputs].sort(byCode);
    }
    case 'meeting':
      return (await db.meeting.findMany({ where: { partnershipId }, orderBy: [{ kind: 'asc' }, { seq: 'asc' }] })).map((m) => ({
        value: m.code,
        label: m.title,
      }));
    case 'person':
      // The key, not the name: it is exact even when two people share a name. Nobody taken off the
      // roster: every command that takes a person refuses them.
      return (await db.person.findMany({ where: { partnershipId, removedAt: null }, orderBy: { name: 'asc' }, include: { organisation: true } })).map(
        (p) => ({ value: p.key, label: p.organisation ? `${p.name} (${p.organisation.shortName ?? p.organisation.name})` : p.name }),
      );
    case 'organisation':
      return (await db.organisation.findMany({ where: { partnershipId, removedAt: null }, orderBy: { name: 'asc' } })).map((o) => ({
        value: o.shortName ?? o.name,
        label: o.shortName ? o.name : '',
      }));
  }
}
