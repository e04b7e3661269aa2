// Who a person's notice goes to while they are on leave: their delegate, else a colleague of their
// organisation who is not away, else nobody yet (it waits, and the planner sends it on their return
// if it is still useful). Derived from the database at each tick, like everything the planner does.
import type { Person } from '@prisma/client';
import type { Db } from '../persistence/database.ts';
import { localDay } from '../core/clock.ts';
import { absencesBetween, covers, personalDay, type Absence } from '../domain/absences.ts';
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
    private readonly now: Date,
    private readonly zone: string,
    private readonly absences: Absence[],
    private readonly people: Map<string, PersonWithIdentities>,
    private readonly colleagues: Map<string, PersonWithIdentities[]>,
  ) {}

  /**
   * Leave touching the days from `lookBack` days ago to today, and the people who may stand in, at
   * `now` for a partnership in `zone`. A day more each side: someone's own today may be the
   * partnership's yesterday or tomorrow.
   */
  static async load(db: Db, partnershipId: string, now: Date, zone: string, lookBack: number): Promise<LeaveRouting> {
    const today = localDay(now, zone);
    const absences = await absencesBetween(db, partnershipId, addDays(today, -lookBack - 1), addDays(today, 1));
    if (!absences.length) return new LeaveRouting(now, zone, [], new Map(), new Map());
    const orgIds = [...new Set(absences.flatMap((a) => (a.organisationId ? [a.organisationId] : [])))];
    const delegateIds = absences.flatMap((a) => (a.delegate ? [a.delegate.id] : []));
    const people = await db.person.findMany({
      where: { partnershipId, removedAt: null, OR: [{ organisationId: { in: orgIds } }, { id: { in: delegateIds } }] },
      include: { identities: true },
      orderBy: { key: 'asc' },
    });
    const colleagues = new Map<string, PersonWithIdentities[]>();
    for (const p of people) if (p.organisationId) colleagues.set(p.organisationId, [...(colleagues.get(p.organisationId) ?? []), p]);
    return new LeaveRouting(now, zone, absences, new Map(people.map((p) => [p.id, p])), colleagues);
  }

  /** Their leave that covers `day` (a day of the partnership's calendar, e.g. when a notice fell due). */
  awayOn(personId: string, day: string): Absence | undefined {
    return this.absences.find((a) => a.personId === personId && covers(a, day));
  }

  /** Their leave that covers the day it is now where they are. */
  awayNow(personId: string): Absence | undefined {
    return this.absences.find((a) => a.personId === personId && covers(a, this.dayOf(a)));
  }

  /** The day it is now for the person on leave `a`: what "away until …" is worded against. */
  private dayOf(a: Absence): string {
    return personalDay(a, this.now, this.zone);
  }

  /** Whoever takes `absence`'s notices: the delegate if present, else the first colleague present. */
  private standIn(absence: Absence, isAway: (personId: string) => Absence | undefined): PersonWithIdentities | undefined {
    const delegate = absence.delegate ? this.people.get(absence.delegate.id) : undefined;
    if (delegate && !isAway(delegate.id)) return delegate;
    const colleagues = absence.organisationId ? (this.colleagues.get(absence.organisationId) ?? []) : [];
    return colleagues.find((p) => p.id !== absence.personId && !isAway(p.id));
  }

  /**
   * Where a notice for `personId`, meant for `momentDay`, goes `today`. `recipient` wraps a stand-in
   * the way the planner wraps a co-leader.
   */
  route<R>(personId: string, self: R, momentDay: string, recipient: (p: PersonWithIdentities) => R): Route<R> {
    const now = this.awayNow(personId);
    if (now) {
      const standIn = this.standIn(now, (id) => this.awayNow(id));
      return standIn ? { to: recipient(standIn), standingInFor: now } : { waits: now };
    }
    const then = momentDay < localDay(this.now, this.zone) ? this.awayOn(personId, momentDay) : undefined;
    if (then && this.standIn(then, (id) => this.awayOn(id, momentDay))) return { covered: true };
    return { to: self };
  }
}
