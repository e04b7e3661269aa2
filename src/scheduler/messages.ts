// The words of each notification. Each returns a neutral Reply, stored in the outbox as it was
// decided, so what is delivered after a restart is what was meant at the time.
import type { Meeting } from '@prisma/client';
import { buttons, context, list, reply, text, type Inline, type Mention, type Reply } from '../core/reply.ts';
import { describeFuzzyDate, type FuzzyDate } from '../domain/fuzzy-date.ts';
import { count } from '../core/count.ts';
import { actionRange } from '../domain/checkins.ts';

export interface NoticeItem {
  id: string;
  code: string;
  title: string;
  kind: 'activity' | 'output';
  when: FuzzyDate;
  actionNumber: number;
}

const itemButtons = (item: NoticeItem) =>
  item.kind === 'activity'
    ? buttons(
        { label: 'Mark done', command: `milestone done ${item.code}`, style: 'primary' },
        { label: 'Snooze 3 days', command: `snooze ${item.code} --days 3` },
        { label: 'Move date', command: `milestone move ${item.code}`, inputs: [{ name: 'when', label: 'New date', kind: 'date' }, { name: 'tentative', label: 'Tentative (tbc)', kind: 'boolean' }] },
      )
    : buttons(
        { label: 'Set status', command: `output show ${item.code}`, style: 'primary' },
        { label: 'Snooze 3 days', command: `snooze ${item.code} --days 3` },
      );

const aboutOf = (item: NoticeItem) => ({ id: item.id, code: item.code, title: item.title });

/** Under a nudge sent to a stand-in: whose it is ("Jan Novak, away until 6 Jan 2026"). */
const standingIn = (forWhom: string | undefined) => (forWhom ? [context(`You receive this for ${forWhom}.`)] : []);

export function leadNudge(item: NoticeItem, days: number, who: Mention, forWhom?: string): Reply {
  const when = days === 0 ? 'is due today' : days === 1 ? 'is due tomorrow' : `is due in ${days} days`;
  return reply(`${item.code} ${when}`, [
    text(who, `, ${item.code} ${item.title} (A${item.actionNumber}) ${when}: ${describeFuzzyDate(item.when)}.`),
    ...standingIn(forWhom),
    itemButtons(item),
  ], { about: aboutOf(item) });
}

export function windowStartNudge(item: NoticeItem, who: Mention, forWhom?: string): Reply {
  return reply(`${item.code} starts now`, [
    text(who, `, ${item.code} ${item.title} (A${item.actionNumber}) starts now: ${describeFuzzyDate(item.when)}.`),
    ...standingIn(forWhom),
    itemButtons(item),
  ], { about: aboutOf(item) });
}

export function escalation(item: NoticeItem, workingDays: number, people: Mention[], away: string[] = []): Reply {
  const names: Inline[] = people.flatMap((p, i) => (i === 0 ? [p] : [', ', p]));
  return reply(`Overdue: ${item.code}`, [
    text(`${item.code} ${item.title} (A${item.actionNumber}) was due ${describeFuzzyDate(item.when)} and is still open ${count(workingDays, 'working day')} later.`),
    ...(names.length ? [context('For ', ...names)] : []),
    ...(away.length ? [context(`Away: ${away.join('; ')}.`)] : []),
    itemButtons(item),
  ]);
}

export function needsADate(actionNumber: number, items: { code: string; title: string; when: FuzzyDate }[], people: Mention[]): Reply {
  const names: Inline[] = people.flatMap((p, i) => (i === 0 ? [p] : [', ', p]));
  return reply(`A${actionNumber}: ${items.length === 1 ? 'an item needs' : `${items.length} items need`} a date`, [
    list(items.map((i) => `${i.code} ${i.title} — ${describeFuzzyDate(i.when)}`)),
    ...(names.length ? [context('For ', ...names, '. Set one with "milestone move <id> <date>".')] : [context('Set one with "milestone move <id> <date>".')]),
  ]);
}

export type PlenaryNotice = 'call' | 'freeze' | 'agenda' | 'daybefore' | 'decisions';

export function plenaryNotice(kind: PlenaryNotice, m: Meeting, agenda: string[], dayText: string): Reply {
  const where = [m.format?.replace('_', ' '), m.location, m.link].filter(Boolean).join(' · ');
  const head = `${m.code} ${m.title}, ${dayText}${where ? ` (${where})` : ''}`;
  switch (kind) {
    case 'call':
      return reply(`Call for agenda items: ${m.code}`, [text(`${head}. Propose an item with: agenda add "<item>" --minutes 15 --action A1`), context(`${count(agenda.length, 'item')} so far.`)]);
    case 'freeze':
      return reply(`Agenda of ${m.code} freezes soon`, [text(`${head}. ${count(agenda.length, 'item')} proposed; freeze it with "agenda freeze --plenary ${m.code}" once ready.`)]);
    case 'agenda':
    case 'daybefore':
      return reply(kind === 'agenda' ? `Agenda: ${m.code} ${m.title}` : `Tomorrow: ${m.code} ${m.title}`, [
        text(head),
        list(agenda.length ? agenda : ['No items yet.']),
      ]);
    case 'decisions':
      return reply(`Record the decisions of ${m.code}`, [text(`${head} has taken place. Record its decisions with: decision add ${m.code} "<decision>"`)]);
  }
}


/** To the secretariat, once per day check-ins go out: which Actions were asked about how many items. */
export function checkInSummary(rounds: { actionNumber: number; items: number; people: string[] }[], answerBy: string): Reply {
  const total = rounds.reduce((n, r) => n + r.items, 0);
  return reply(`Check-ins sent to ${actionRange(rounds.map((r) => r.actionNumber))}`, [
    text(`Check-ins sent to ${actionRange(rounds.map((r) => r.actionNumber))}, ${count(total, 'item')} to confirm. They were past due and untouched when the bot started, so they are asked about instead of escalated one by one.`),
    // Names, not mentions: the co-leaders were asked in person; this is for the secretariat to read.
    list(rounds.map((r) => `A${r.actionNumber}: ${count(r.items, 'item')}${r.people.length ? ` — asked ${r.people.join(', ')}` : ' — no co-leader to ask'}`)),
    context(`Items without an answer are escalated here on ${answerBy}. Who answered: "checkin status".`),
  ]);
}

/** An item of a check-in nobody settled: escalated like any overdue item, saying it was asked about. */
export function unansweredEscalation(item: NoticeItem, askedOn: string, unsure: string | undefined, people: Mention[]): Reply {
  const names: Inline[] = people.flatMap((p, i) => (i === 0 ? [p] : [', ', p]));
  return reply(`Overdue: ${item.code}`, [
    text(
      `${item.code} ${item.title} (A${item.actionNumber}) was due ${describeFuzzyDate(item.when)} and is still open. ` +
        (unsure ? `Asked in the check-in of ${askedOn}, ${unsure} answered "not sure".` : `Asked in the check-in of ${askedOn}, nobody has answered.`),
    ),
    ...(names.length ? [context('For ', ...names)] : []),
    itemButtons(item),
  ]);
}
