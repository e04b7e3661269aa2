// What an e-mail's unsubscribe link turns off: the scheduler, the dispatcher, the `notify email`
// command and the e-mail adapter agree on these through this one list.
/** Kinds of notification an e-mail unsubscribe link turns off together. */
export const EMAIL_TOPICS = { nudges: ['nudge', 'window-start'], plenaries: ['plenary-invite', 'plenary-update', 'plenary-cancel'] } as const;

/** The topic a notification kind belongs to, for unsubscribing; a kind of its own otherwise. */
export function emailTopic(kind: string): string {
  for (const [topic, kinds] of Object.entries(EMAIL_TOPICS)) if ((kinds as readonly string[]).includes(kind)) return topic;
  return kind;
}
