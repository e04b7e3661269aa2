// The human-editable work-plan format (YAML). Strict objects: a misspelt key is an error, never
// silently dropped. Codes (A1.3, A1.O2, P4) follow the order of the lists, so the file reads like the plan.
import { z } from 'zod';
import { FuzzyDateError, parseFuzzyDate } from '../domain/fuzzy-date.ts';
import { controlCharacterIn } from '../core/control-characters.ts';
import { MAX_MINUTES, MIN_MINUTES } from '../domain/meeting-time.ts';

const when = z
  .union([z.string(), z.number().int()])
  .transform((v) => String(v).trim())
  .superRefine((v, ctx) => {
    try {
      parseFuzzyDate(v);
    } catch (e) {
      if (e instanceof FuzzyDateError) ctx.addIssue({ code: 'custom', message: e.message });
      else throw e;
    }
  });

const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes, e.g. "flanders-region"');
// What the file says is shown in chats and terminals: no escape sequences, bells or NULs.
const plain = <T extends z.ZodType<string>>(schema: T) =>
  schema.superRefine((v, ctx) => {
    const found = controlCharacterIn(v);
    if (found) ctx.addIssue({ code: 'custom', message: `contains a control character (${found}); only text, line breaks and tabs are allowed` });
  });
const text = (max: number) => plain(z.string().trim().min(1).max(max));
const optionalText = (max: number) => plain(z.string().trim().max(max)).optional();
const link = plain(z.url());

export const ORG_KINDS = [
  'city',
  'region',
  'national_government',
  'transnational_network',
  'eu_body',
  'ngo',
  'expert_group',
  'secretariat',
  'other',
] as const;
export const ITEM_STATUSES = ['planned', 'in_progress', 'done', 'delayed', 'cancelled'] as const;
export const OUTPUT_STATUSES = ['planned', 'drafting', 'in_review', 'validated', 'disseminated', 'cancelled'] as const;
export const OUTPUT_KINDS = [
  'report',
  'recommendations',
  'guidelines',
  'questionnaire',
  'mapping',
  'capacity_building',
  'webinar',
  'study_visit',
  'presentation',
  'communication',
  'other',
] as const;
export const MEETING_KINDS = [
  'plenary',
  'action_group',
  'virtual_exchange',
  'webinar',
  'study_visit',
  'urban_academy',
  'other',
] as const;
export const MEETING_FORMATS = ['in_person', 'online', 'hybrid'] as const;

const organisation = z.strictObject({
  key,
  name: text(200),
  shortName: optionalText(60),
  kind: z.enum(ORG_KINDS),
  country: optionalText(60),
  aliases: z.array(text(200)).default([]),
  /** Taken off the roster (`org remove`): kept so a re-import does not bring it back. */
  removed: z.boolean().default(false),
});

const person = z.strictObject({
  key,
  name: text(120),
  organisation: key.optional(),
  email: z.email().optional(),
  timeZone: optionalText(60),
  roles: z.array(z.enum(['coordinator', 'secretariat', 'member'])).default([]),
  demo: z.boolean().default(false),
  /** Taken off the roster (`person remove`): kept so a re-import does not bring them back. */
  removed: z.boolean().default(false),
});

const step = z.strictObject({
  title: text(300),
  when,
  status: z.enum(ITEM_STATUSES).default('planned'),
  description: optionalText(4000),
  notes: optionalText(4000),
});

const activity = step.extend({ steps: z.array(step).default([]) });

const output = z.strictObject({
  title: text(300),
  kind: z.enum(OUTPUT_KINDS),
  when,
  /** 1-based position of the activity it comes from, within the same Action. */
  activity: z.number().int().positive().optional(),
  status: z.enum(OUTPUT_STATUSES).default('planned'),
  link: link.optional(),
  notes: optionalText(4000),
});

const target = z.strictObject({
  key,
  label: text(300),
  target: z.number().nonnegative(),
  current: z.number().nonnegative().default(0),
  unit: optionalText(40),
});

const action = z.strictObject({
  number: z.number().int().positive(),
  shortTitle: text(60),
  title: text(300),
  objective: text(4000),
  implementation: z.array(text(1000)).default([]),
  governanceLevels: z.array(z.enum(['local', 'regional', 'national', 'eu'])).min(1),
  deadline: when,
  coLeaders: z.array(key).min(1),
  members: z.array(key).default([]),
  stakeholders: optionalText(2000),
  risks: optionalText(4000),
  statePlay: optionalText(1000),
  notes: optionalText(4000),
  activities: z.array(activity).default([]),
  outputs: z.array(output).default([]),
  targets: z.array(target).default([]),
});

const meeting = z.strictObject({
  kind: z.enum(MEETING_KINDS),
  title: text(200),
  when,
  format: z.enum(MEETING_FORMATS).optional(),
  action: z.number().int().positive().optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  /** How long it lasts once it has a start time (as `plenary set --duration` allows); two hours when left out. */
  durationMinutes: z.number().int().min(MIN_MINUTES).max(MAX_MINUTES).optional(),
  /** When it was cancelled (`plenary cancel`), and why. */
  cancelledAt: z.iso.datetime({ offset: true }).optional(),
  cancelReason: optionalText(300),
  location: optionalText(200),
  link: link.optional(),
  notes: optionalText(4000),
});

const isoDay = z.iso.date();

/** Leave (`away`): calendar days where the person is, both included. */
const leave = z.strictObject({
  person: key,
  from: isoDay,
  to: isoDay,
  delegate: key.optional(),
});

export const workPlanSchema = z
  .strictObject({
    partnership: z.strictObject({
      slug: key,
      name: text(200),
      timeZone: z
        .string()
        .default('Europe/Brussels')
        .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'not an IANA time zone'),
      phase: optionalText(200),
    }),
    organisations: z.array(organisation).min(1),
    coordinators: z.array(key).default([]),
    people: z.array(person).default([]),
    actions: z.array(action).default([]),
    meetings: z.array(meeting).default([]),
    leave: z.array(leave).default([]),
  })
  .superRefine((plan, ctx) => {
    const orgs = new Set<string>();
    plan.organisations.forEach((o, i) => {
      if (orgs.has(o.key)) ctx.addIssue({ code: 'custom', path: ['organisations', i, 'key'], message: `duplicate key "${o.key}"` });
      orgs.add(o.key);
    });
    const needOrg = (k: string, path: (string | number)[]) => {
      if (!orgs.has(k)) ctx.addIssue({ code: 'custom', path, message: `no organisation with key "${k}"` });
    };
    const removedOrgs = new Set(plan.organisations.filter((o) => o.removed).map((o) => o.key));
    const needCurrentOrg = (k: string, path: (string | number)[]) => {
      needOrg(k, path);
      if (removedOrgs.has(k)) ctx.addIssue({ code: 'custom', path, message: `organisation "${k}" is marked removed` });
    };
    plan.coordinators.forEach((k, i) => needCurrentOrg(k, ['coordinators', i]));
    const people = new Set<string>();
    plan.people.forEach((p, i) => {
      if (people.has(p.key)) ctx.addIssue({ code: 'custom', path: ['people', i, 'key'], message: `duplicate key "${p.key}"` });
      people.add(p.key);
      if (p.organisation) needOrg(p.organisation, ['people', i, 'organisation']);
    });
    const numbers = new Set<number>();
    plan.actions.forEach((a, i) => {
      if (numbers.has(a.number)) ctx.addIssue({ code: 'custom', path: ['actions', i, 'number'], message: `duplicate Action number ${a.number}` });
      numbers.add(a.number);
      a.coLeaders.forEach((k, j) => needCurrentOrg(k, ['actions', i, 'coLeaders', j]));
      a.members.forEach((k, j) => needCurrentOrg(k, ['actions', i, 'members', j]));
      a.outputs.forEach((o, j) => {
        if (o.activity !== undefined && o.activity > a.activities.length)
          ctx.addIssue({ code: 'custom', path: ['actions', i, 'outputs', j, 'activity'], message: `Action ${a.number} has only ${a.activities.length} activities` });
      });
    });
    plan.meetings.forEach((m, i) => {
      if (m.action !== undefined && !numbers.has(m.action))
        ctx.addIssue({ code: 'custom', path: ['meetings', i, 'action'], message: `no Action number ${m.action}` });
    });
    plan.leave.forEach((l, i) => {
      for (const field of ['person', 'delegate'] as const) {
        const k = l[field];
        if (k !== undefined && !people.has(k)) ctx.addIssue({ code: 'custom', path: ['leave', i, field], message: `no person with key "${k}"` });
      }
      if (l.to < l.from) ctx.addIssue({ code: 'custom', path: ['leave', i, 'to'], message: 'ends before it starts' });
    });
  });

export type WorkPlan = z.infer<typeof workPlanSchema>;
export type WorkPlanInput = z.input<typeof workPlanSchema>;
