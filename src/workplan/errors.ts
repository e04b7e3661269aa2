// Apart from the reader (load.ts), so that recognising this error does not load the YAML parser.
export class WorkPlanError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}
