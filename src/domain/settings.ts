// Scheduler settings of a partnership and notification preferences of a person, stored as JSON and
// read through zod so that a missing or old value always falls back to a sensible default.
import { z } from 'zod';

export const partnershipSettingsSchema = z.object({
  /** Days before an item falls due when co-leaders are nudged (0 = on the day). */
  leadDays: z.array(z.number().int().min(0).max(90)).default([14, 7, 1, 0]),
  /** The longest lead time any person chose: how far ahead a tick has to look. */
  longestPersonalLeadDays: z.number().int().min(0).max(90).default(0),
  /** Working days after the due day before an open item is escalated. */
  escalateAfterWorkingDays: z.number().int().min(1).max(30).default(3),
  /** Overdue items older than this are left to the digest instead of being escalated one by one. */
  escalateWithinDays: z.number().int().min(1).max(365).default(30),
  agendaCallDays: z.number().int().min(1).max(90).default(21),
  agendaFreezeReminderDays: z.number().int().min(1).max(90).default(10),
  agendaPostDays: z.number().int().min(1).max(60).default(7),
  /** ISO weekday (1 = Monday) and local hour of the weekly digest. */
  digestWeekday: z.number().int().min(1).max(7).default(1),
  digestHour: z.number().int().min(0).max(23).default(9),
  /** Local hour at which the day's notifications are due. */
  sendHour: z.number().int().min(0).max(23).default(9),
  /** The monthly state-of-play check-in: on this working day of the month, at this local time. */
  checkinDay: z.number().int().min(1).max(20).default(1),
  checkinTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).default('10:00'),
});

export type PartnershipSettings = z.infer<typeof partnershipSettingsSchema>;

export const personPreferencesSchema = z.object({
  /** ISO instant until which nudges to this person are not sent. */
  muteUntil: z.string().optional(),
  dmOptOut: z.boolean().default(false),
  leadDays: z.array(z.number().int().min(0).max(90)).optional(),
  quietHours: z
    .object({ start: z.number().int().min(0).max(23), end: z.number().int().min(1).max(24) })
    .default({ start: 8, end: 19 }),
  workingDays: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
  /**
   * Per platform, when the Action channel was told that this person's DMs are closed (so it is said
   * once, not under every nudge); cleared when a DM gets through again.
   */
  dmClosedNoted: z.record(z.string(), z.string()).default({}),
  /**
   * "notify via": auto is chat where the person has a reachable account, else e-mail; email and both
   * use e-mail whenever the person has an address.
   */
  via: z.enum(['auto', 'chat', 'email', 'both']).default('auto'),
  /** E-mail topics (see emailTopic) the person unsubscribed from with a message's unsubscribe link. */
  emailOff: z.array(z.string()).default([]),
  /** One DM on working mornings with what needs them that day, instead of that day's nudges. */
  dailySummary: z.boolean().default(false),
});

export type PersonPreferences = z.infer<typeof personPreferencesSchema>;

export function partnershipSettings(json: unknown): PartnershipSettings {
  const parsed = partnershipSettingsSchema.safeParse(json ?? {});
  return parsed.success ? parsed.data : partnershipSettingsSchema.parse({});
}

export function personPreferences(json: unknown): PersonPreferences {
  const parsed = personPreferencesSchema.safeParse(json ?? {});
  return parsed.success ? parsed.data : personPreferencesSchema.parse({});
}
