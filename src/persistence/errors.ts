/** The database cannot be used as it is, and retrying will not help: the message says what to do. */
export class DatabaseOpenError extends Error {}
