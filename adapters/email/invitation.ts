// A plenary invitation as an iMIP attachment (RFC 6047): METHOD:REQUEST or CANCEL, the bot's address as
// ORGANIZER, the recipient as ATTENDEE, and the UID and SEQUENCE the calendar feed uses for the same
// meeting, so Outlook and Google Calendar update one event whether it came by feed or by e-mail.
import type { Invitation } from '../../src/core/reply.ts';
import { buildCalendar, type CalendarAddress } from '../../src/exports/ics.ts';

export function invitationIcs(invitation: Invitation, organizer: CalendarAddress, attendees: CalendarAddress[], stamp: Date): string {
  const { method, time, ...rest } = invitation;
  return buildCalendar({
    name: invitation.summary,
    method,
    stamp,
    events: [
      {
        ...rest,
        ...(time ? { time: { start: new Date(time.start), end: new Date(time.end), zone: time.zone } } : {}),
        cancelled: method === 'CANCEL',
        categories: ['Plenary'],
        organizer,
        attendees,
      },
    ],
  });
}
