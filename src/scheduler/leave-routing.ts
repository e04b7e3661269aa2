// Who a person's notice goes to while they are on leave: their delegate, else a colleague of their
// organisation who is not away, else nobody yet (it waits, and the planner sends it on their return
// if it is still useful). Derived from the database at each tick, like everything the planner does.
import type { Person } from '@prisma/client';
import type { Db } from '../persistence/database.ts';
import { absencesBetween, covers, type Absence } from '../domain/absences.ts';
import { addDays } from '../domain/fuzzy-date.ts';

type PersonWithIdentities = Person & { identities: { platform: string; externalId: string }[] };

export type Route<R> =
  /** Send it to this recipient: the person, or who stands in for them (`standingInFor` set). */
  | { to: R; standingInFor?: Absence }
  /** Away with nobody to stand in: not now; on return, if still useful. */
  | { waits: Absence }
  /** It fell due while they were away and someone stood in then: already handled. */
  | { covered: true };

export class LeaveRouting {
  private constructor(
    private readonly absences: Absence[],
    private readonly people: Map<string, PersonWithIdentities>,
    private readonly colleagues: Map<string, PersonWithIdentities[]>,
  ) {}

  /** Leave touching the days from `lookBack` days ago to today, and the people who may stand in. */
  static async load(db: Db, partnershipId: string, today: string, lookBack: number): Promise<LeaveRouting> {
    const absences = await absencesBetween(db, partnershipId, addDays(today, -lookBack), today);
    if (!absences.length) return new LeaveRouting([], new Map(), new Map());
    const orgIds = [...new Set(absences.flatMap((a) => (a.organisationId ? [a.organisationId] : [])))];
    const delegateIds = absences.flatMap((a) => (a.delegate ? [a.delegate.id] : []));
    const people = await db.person.findMany({
      where: { partnershipId, removedAt: null, OR: [{ organisationId: { in: orgIds } }, { id: { in: delegateIds } }] },
      include: { identities: true },
      orderBy: { key: 'asc' },
    });
    const colleagues = new Map<string, PersonWithIdentities[]>();
    for (const p of people) if (p.organisationId) colleagues.set(p.organisationId, [...(colleagues.get(p.organisationId) ?? []), p]);
    return new LeaveRouting(absences, new Map(people.map((p) => [p.id, p])), colleagues);
  }

  awayOn(personId: string, day: string): Absence | undefined {
    return this.absences.find((a) => a.personId === personId && covers(a, day));
  }

  /** Whoever takes `absence`'s notices on `day`: the delegate if present, else the first colleague present. */
  private standIn(absence: Absence, day: string): PersonWithIdentities | undefined {
    const delegate = absence.delegate ? this.people.get(absence.delegate.id) : undefined;
    if (delegate && !this.awayOn(delegate.id, day)) return delegate;
    const colleagues = absence.organisationId ? (this.colleagues.get(absence.organisationId) ?? []) : [];
    return colleagues.find((p) => p.id !== absence.personId && !this.awayOn(p.id, day));
  }

  /**
   * Where a notice for `personId`, meant for `momentDay`, goes `today`. `recipient` wraps a stand-in
   * the way the planner wraps a co-leader.
   */
  route<R>(personId: string, self: R, momentDay: string, today: string, recipient: (p: PersonWithIdentities) => R): Route<R> {
    const now = this.awayOn(personId, today);
    if (now) {
      const standIn = this.standIn(now, today);
      return standIn ? { to: recipient(standIn), standingInFor: now } : { waits: now };
    }
    const then = momentDay < today ? this.awayOn(personId, momentDay) : undefined;
    if (then && this.standIn(then, momentDay)) return { covered: true };
    return { to: self };
  }
}
