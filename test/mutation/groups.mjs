// What mutation testing covers: the modules that carry the product's promises, in groups so that
// each mutant runs only fast tests. To cover another module, add its path to a group's `mutate` (one
// line); if no test file of that group exercises it, add that test file to the group's `tests`.

/** Escaping, splitting and date text: pure functions, checked by unit tests without a database. */
export const text = {
  mutate: [
    'src/domain/fuzzy-date.ts',
    'adapters/slack/mrkdwn.ts',
    'adapters/discord/markdown.ts',
    'src/delivery/plain-text.ts',
    'src/exports/monitoring.ts',
    'src/exports/ics.ts',
  ],
  tests: [
    'test/fuzzy-date.test.ts',
    'test/slack/render.test.ts',
    'test/slack/mrkdwn.test.ts',
    'test/discord/render.test.ts',
    'test/discord/markdown.test.ts',
    'test/shell-render.test.ts',
    'test/exports/text-formats.test.ts',
  ],
};

/** Who may change what, and writing each notice exactly once: checked against a database. */
export const guards = {
  mutate: ['src/core/permissions.ts', 'src/persistence/outbox-insert.ts'],
  tests: ['test/faults/authorization.test.ts', 'test/scheduler.test.ts'],
};

/** What is due and its delivery: checked against a database. */
export const delivery = {
  mutate: ['src/scheduler/planner.ts', 'src/scheduler/dispatcher.ts'],
  tests: ['test/scheduler.test.ts', 'test/planner.test.ts', 'test/dispatcher.test.ts'],
};

/**
 * One owner for the embedded database: the directory lock. The socket server that shares the database
 * (embedded-server.ts) is left out: under mutation its tests hang on a mutant until Stryker's timeout,
 * hundreds of times over (see README, "Mutation testing").
 */
export const persistence = {
  mutate: ['src/persistence/data-dir-lock.ts'],
  tests: ['test/persistence/data-dir-lock.test.ts'],
  // Its tests take a tenth of a second: a mutant that turns the takeover loop endless is cut off after 3 s.
  timeoutMS: 3_000,
};

/** What an unauthenticated client can make the bot read: the request body limit, over real sockets. */
export const http = {
  mutate: ['src/http/body-limit.ts'],
  tests: ['test/http/body-limit.test.ts'],
};

export const groups = { text, guards, delivery, persistence, http };

/** The groups `npm run test:mutation` (and so CI) runs when no --group is given. */
export const DEFAULT_GROUPS = ['text', 'guards', 'delivery', 'persistence', 'http'];

/** Below this mutation score (in %) on any one module, `npm run test:mutation` fails. */
export const THRESHOLD = 90;
