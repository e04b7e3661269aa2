// A generated data set far larger than any real partnership: 100 partnerships, 5,000 people, 20,000
// activities, 10,000 outputs, written with createMany (an import per partnership would take minutes).
// Commands then run against one of the partnerships, so what is measured is how well the queries stay
// scoped (indexes) as the whole database grows.
import type { Prisma } from '@prisma/client';
import type { Database } from '../src/persistence/database.ts';
import { linkBenchUser } from './databases.ts';

export const LARGE = { partnerships: 100, peoplePer: 50, orgsPer: 10, actionsPer: 4, activitiesPerAction: 50, outputsPerAction: 25, plenariesPer: 8 };

const STATUSES = ['planned', 'in_progress', 'done', 'delayed'] as const;

/** Month `k` counted from January 2024, as the columns of a fuzzy "month" date. */
function month(k: number) {
  const y = 2024 + Math.floor(k / 12);
  const m = (k % 12) + 1;
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 0));
  return { whenKind: 'month' as const, whenStart: start, whenEnd: end, whenTentative: k % 7 === 0, whenText: `${y}-${String(m).padStart(2, '0')}` };
}

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>, size = 2000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Generates the data set; gives the slug of the partnership the benchmark talks to. */
export async function generateLargeDataset(db: Database): Promise<string> {
  const partnerships: Prisma.PartnershipCreateManyInput[] = [];
  const orgs: Prisma.OrganisationCreateManyInput[] = [];
  const people: Prisma.PersonCreateManyInput[] = [];
  const partnershipRoles: Prisma.PartnershipRoleCreateManyInput[] = [];
  const actions: Prisma.ActionCreateManyInput[] = [];
  const actionRoles: Prisma.ActionRoleCreateManyInput[] = [];
  const activities: Prisma.ActivityCreateManyInput[] = [];
  const outputs: Prisma.OutputCreateManyInput[] = [];
  const targets: Prisma.TargetCreateManyInput[] = [];
  const meetings: Prisma.MeetingCreateManyInput[] = [];
  for (let p = 0; p < LARGE.partnerships; p++) {
    const pid = `bp${p}`;
    partnerships.push({ id: pid, slug: `bench-${p}`, name: `Benchmark partnership ${p}` });
    const orgId = (o: number) => `${pid}-o${o}`;
    for (let o = 0; o < LARGE.orgsPer; o++) {
      const secretariat = o === LARGE.orgsPer - 1;
      orgs.push({ id: orgId(o), partnershipId: pid, key: `org-${o}`, name: secretariat ? `Secretariat ${p}` : `City ${p}-${o}`, kind: secretariat ? 'secretariat' : 'city', country: 'BE', aliases: [] });
    }
    for (let n = 0; n < LARGE.peoplePer; n++) {
      people.push({ id: `${pid}-h${n}`, partnershipId: pid, key: n === 0 ? 'secretariat' : `person-${n}`, name: `Person ${p}-${n}`, organisationId: orgId(n === 0 ? LARGE.orgsPer - 1 : n % (LARGE.orgsPer - 1)), demo: true });
    }
    partnershipRoles.push({ partnershipId: pid, role: 'secretariat', personId: `${pid}-h0` }, { partnershipId: pid, role: 'coordinator', organisationId: orgId(0) });
    for (let a = 1; a <= LARGE.actionsPer; a++) {
      const aid = `${pid}-a${a}`;
      actions.push({
        id: aid, partnershipId: pid, number: a, shortTitle: `Topic ${a}`, title: `Action ${a} of partnership ${p}`, objective: 'A generated objective for benchmarking.',
        implementation: [], governanceLevels: ['local'], deadlineKind: 'month', deadlineStart: new Date(Date.UTC(2027, 2, 1)), deadlineEnd: new Date(Date.UTC(2027, 2, 31)), deadlineText: '2027-03',
      });
      actionRoles.push({ actionId: aid, role: 'co_leader', organisationId: orgId(a % 9) }, { actionId: aid, role: 'co_leader', organisationId: orgId((a + 1) % 9) });
      for (let m = 2; m < 7; m++) actionRoles.push({ actionId: aid, role: 'member', organisationId: orgId((a + m) % 9) });
      for (let k = 1; k <= LARGE.activitiesPerAction; k++) {
        activities.push({ id: `${aid}-t${k}`, actionId: aid, seq: k, code: `A${a}.${k}`, title: `Activity ${k} of A${a}`, status: STATUSES[k % 4]!, ...month((k * 7 + a) % 48) });
      }
      for (let k = 1; k <= LARGE.outputsPerAction; k++) {
        outputs.push({ actionId: aid, activityId: `${aid}-t${k}`, seq: k, code: `A${a}.O${k}`, title: `Output ${k} of A${a}`, kind: 'report', status: k % 3 === 0 ? 'drafting' : 'planned', ...month((k * 5 + a) % 48) });
      }
      targets.push({ actionId: aid, key: 'events', label: 'Events held', targetValue: 10, currentValue: a }, { actionId: aid, key: 'reports', label: 'Reports published', targetValue: 4 });
    }
    for (let k = 1; k <= LARGE.plenariesPer; k++) {
      meetings.push({ partnershipId: pid, kind: 'plenary', seq: k, code: `P${k}`, title: `Plenary ${k}`, format: 'online', ...month(18 + k * 3) });
    }
  }
  const d = db.prisma;
  await inChunks(partnerships, (data) => d.partnership.createMany({ data }));
  await inChunks(orgs, (data) => d.organisation.createMany({ data }));
  await inChunks(people, (data) => d.person.createMany({ data }));
  await inChunks(partnershipRoles, (data) => d.partnershipRole.createMany({ data }));
  await inChunks(actions, (data) => d.action.createMany({ data }));
  await inChunks(actionRoles, (data) => d.actionRole.createMany({ data }));
  await inChunks(activities, (data) => d.activity.createMany({ data }));
  await inChunks(outputs, (data) => d.output.createMany({ data }));
  await inChunks(targets, (data) => d.target.createMany({ data }));
  await inChunks(meetings, (data) => d.meeting.createMany({ data }));
  // Statistics, as autovacuum would gather them on a long-running server, so the planner picks indexes.
  await db.sql.exec('ANALYZE');
  await linkBenchUser(db, 'bp0', 'secretariat');
  return 'bench-0';
}
