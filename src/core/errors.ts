/** A problem the user can fix: shown to them as it is, with the correct form; never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The user may not do this; says who may. */
export class Refusal extends UserError {}
