// Writes the current state back out in the work-plan format: a readable backup, and the input of
// the next import (import(export(x)) reproduces x), including what chat changed: people and
// organisations taken off the roster (as removed, so an import does not bring them back), plenary
// times, durations and cancellations, and leave.
import { stringify } from 'yaml';
import type { Db } from '../persistence/database.ts';
import { dateToIsoDay, formatFuzzyDate } from '../domain/fuzzy-date.ts';
import { deadlineOf, inPlanOrder, whenOf } from '../domain/plan.ts';
import type { WorkPlanInput } from './format.ts';

/** Leaves out empty optional values so the file stays as terse as a hand-written one. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

export async function exportWorkPlan(db: Db, partnershipId: string): Promise<WorkPlanInput> {
  const p = await db.partnership.findUniqueOrThrow({ where: { id: partnershipId } });
  const [orgs, people, roles, actions, meetings, absences] = await Promise.all([
    db.organisation.findMany({ where: { partnershipId }, orderBy: { key: 'asc' } }),
    db.person.findMany({ where: { partnershipId }, orderBy: { key: 'asc' }, include: { organisation: true } }),
    db.partnershipRole.findMany({ where: { partnershipId }, include: { organisation: true } }),
    db.action.findMany({
      where: { partnershipId },
      orderBy: { number: 'asc' },
      include: { roles: { include: { organisation: true } }, activities: true, outputs: { orderBy: { seq: 'asc' } }, targets: true },
    }),
    db.meeting.findMany({ where: { partnershipId }, orderBy: { seq: 'asc' }, include: { action: true } }),
    db.absence.findMany({
      where: { partnershipId, person: { removedAt: null } },
      orderBy: [{ firstDay: 'asc' }, { createdAt: 'asc' }],
      include: { person: { select: { key: true } }, delegate: { select: { key: true, removedAt: true } } },
    }),
  ]);
  return {
    partnership: compact({ slug: p.slug, name: p.name, timeZone: p.timeZone, phase: p.phase }),
    organisations: orgs.map((o) =>
      compact({ key: o.key, name: o.name, shortName: o.shortName, kind: o.kind, country: o.country, aliases: o.aliases, removed: o.removedAt ? true : undefined }),
    ),
    coordinators: roles.filter((r) => r.role === 'coordinator' && r.organisation).map((r) => r.organisation!.key).sort(),
    people: people.map((x) =>
      compact({
        key: x.key,
        name: x.name,
        organisation: x.organisation?.key,
        email: x.email,
        timeZone: x.timeZone,
        // Someone off the roster holds no role an import would give back.
        roles: x.removedAt ? undefined : roles.filter((r) => r.personId === x.id).map((r) => r.role).sort(),
        demo: x.demo || undefined,
        removed: x.removedAt ? true : undefined,
      }),
    ),
    actions: actions.map((a) => {
      const ordered = inPlanOrder(a.activities);
      const top = ordered.filter((x) => !x.parentId);
      const item = (x: (typeof ordered)[number]) =>
        compact({ title: x.title, when: formatFuzzyDate(whenOf(x)), status: x.status === 'planned' ? undefined : x.status, description: x.description, notes: x.notes });
      return compact({
        number: a.number,
        shortTitle: a.shortTitle,
        title: a.title,
        objective: a.objective,
        implementation: a.implementation,
        governanceLevels: a.governanceLevels as ('local' | 'regional' | 'national' | 'eu')[],
        deadline: formatFuzzyDate(deadlineOf(a)),
        // By key: the rows' order is the order they were given in, which chat changes.
        coLeaders: a.roles.filter((r) => r.role === 'co_leader' && r.organisation).map((r) => r.organisation!.key).sort(),
        members: a.roles.filter((r) => r.role === 'member' && r.organisation).map((r) => r.organisation!.key).sort(),
        stakeholders: a.stakeholders,
        risks: a.risks,
        statePlay: a.statePlay,
        notes: a.notes,
        activities: top.map((x) => compact({ ...item(x), steps: ordered.filter((s) => s.parentId === x.id).map(item) })),
        outputs: a.outputs.map((o) =>
          compact({
            title: o.title,
            kind: o.kind,
            when: formatFuzzyDate(whenOf(o)),
            activity: o.activityId ? top.findIndex((x) => x.id === o.activityId) + 1 || undefined : undefined,
            status: o.status === 'planned' ? undefined : o.status,
            link: o.link,
            notes: o.notes,
          }),
        ),
        targets: a.targets.map((t) => compact({ key: t.key, label: t.label, target: t.targetValue, current: t.currentValue, unit: t.unit })),
      });
    }),
    // Plenaries first: codes are numbered per family (P1.., M1..) in file order.
    meetings: [...meetings.filter((m) => m.kind === 'plenary'), ...meetings.filter((m) => m.kind !== 'plenary')].map((m) =>
      compact({
        kind: m.kind,
        title: m.title,
        when: formatFuzzyDate(whenOf(m)),
        format: m.format,
        action: m.action?.number,
        startsAt: m.startsAt?.toISOString(),
        durationMinutes: m.durationMinutes,
        cancelledAt: m.cancelledAt?.toISOString(),
        cancelReason: m.cancelReason,
        location: m.location,
        link: m.link,
        notes: m.notes,
      }),
    ),
    leave: absences.map((a) =>
      compact({
        person: a.person.key,
        from: dateToIsoDay(a.firstDay),
        to: dateToIsoDay(a.lastDay),
        delegate: a.delegate && !a.delegate.removedAt ? a.delegate.key : undefined,
      }),
    ),
  } as WorkPlanInput;
}

export async function exportWorkPlanYaml(db: Db, partnershipId: string): Promise<string> {
  const plan = await exportWorkPlan(db, partnershipId);
  return `# Exported by partnerbot. Re-import with: partnerbot import <this file>\n${stringify(plan, { lineWidth: 110 })}`;
}
