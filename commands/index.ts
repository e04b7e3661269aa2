// Every command the bot understands, in the order help lists them.
import type { CommandDef } from '../src/core/command.ts';
import { action, actions, monitoring, targetSet, timeline } from './actions.ts';
import { channelBind } from './channels.ts';
import { due } from './due.ts';
import { calendar, calendarFeed, calendarFeeds, calendarRevoke, gantt, monitoringExport } from './exports.ts';
import { help } from './help.ts';
import { history } from './history.ts';
import { invite, link } from './identity.ts';
import { agendaAdd, agendaFreeze, agendaOrder, agendaRemove, agendaShow, decisionAdd, decisionList } from './meetings.ts';
import { plenary, plenaryAdd, plenaryCancel, plenaryConfirm, plenarySet } from './plenaries.ts';
import { milestoneAdd, milestoneDone, milestoneMove, milestoneShow, milestoneStatus } from './milestones.ts';
import { outputAdd, outputLink, outputMove, outputShow, outputStatus, statePlay } from './outputs.ts';
import { me, members, whois } from './people.ts';
import { actionColeaders, actionMembers, orgAdd, orgRemove, orgRename, personAdd, personRemove, personSet } from './roster.ts';
import { away } from './away.ts';
import { checkinAnswer, checkinSend, checkinSettings, checkinShow, checkinStatus } from './checkins.ts';
import { daily, digestPost, digestPreview, dm, emailTopics, leadtimes, mute, nudgesPause, nudgesResume, outbox, snooze, via } from './notifications.ts';

export const allCommands = [
  help,
  actions,
  action,
  timeline,
  due,
  monitoring,
  monitoringExport,
  gantt,
  calendar,
  calendarFeed,
  calendarFeeds,
  calendarRevoke,
  me,
  members,
  whois,
  away,
  orgAdd,
  orgRename,
  orgRemove,
  personAdd,
  personSet,
  personRemove,
  actionMembers,
  actionColeaders,
  plenary,
  plenarySet,
  plenaryConfirm,
  plenaryCancel,
  plenaryAdd,
  agendaShow,
  agendaAdd,
  agendaRemove,
  agendaOrder,
  agendaFreeze,
  decisionAdd,
  decisionList,
  milestoneShow,
  milestoneAdd,
  milestoneMove,
  milestoneStatus,
  milestoneDone,
  outputShow,
  outputAdd,
  outputStatus,
  outputMove,
  outputLink,
  statePlay,
  targetSet,
  history,
  checkinShow,
  checkinAnswer,
  checkinStatus,
  checkinSend,
  checkinSettings,
  snooze,
  mute,
  dm,
  via,
  emailTopics,
  daily,
  leadtimes,
  digestPreview,
  digestPost,
  nudgesPause,
  nudgesResume,
  outbox,
  invite,
  link,
  channelBind,
] as unknown as CommandDef[];
