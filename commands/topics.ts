// Command families grouped by topic. Discord registers one slash command per topic (/plan milestone
// move, /plenary agenda add), because one command holds at most 25 entries; a family not listed
// here stays under the main command (/partner). A new command joins its family's topic by itself.
import type { Topic } from '../src/core/registry.ts';

export const topics: Topic[] = [
  {
    name: 'plan',
    summary: 'The work plan: milestones, outputs, state of play, targets, charts and calendars',
    families: ['milestone', 'output', 'status', 'target', 'monitoring', 'gantt', 'calendar'],
  },
  {
    name: 'plenary',
    summary: 'Plenaries: the next one, agendas and decisions',
    families: ['plenary', 'agenda', 'decision'],
  },
  {
    name: 'roster',
    summary: 'The roster: organisations, people and who is away',
    families: ['org', 'person', 'away'],
  },
  {
    name: 'notify',
    summary: 'Reminders: your preferences, snoozing, the weekly digest and the outbox',
    families: ['notify', 'snooze', 'digest'],
  },
  {
    name: 'checkin',
    summary: 'Check-ins: the questions the bot asks co-leaders, your answers, who answered',
    families: ['checkin'],
  },
];
