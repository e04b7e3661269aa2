// Reads a work-plan YAML file and reports every problem with the file name and the path inside it
// (e.g. `plan.yaml: actions[2].activities[0].when: ...`), so a secretariat can fix it without a developer.
import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import { WorkPlanError } from './errors.ts';
import { workPlanSchema, type WorkPlan } from './format.ts';

export { WorkPlanError };

function pathToString(path: PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

export function parseWorkPlan(source: string, file = '<input>'): WorkPlan {
  let raw: unknown;
  try {
    raw = parse(source, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    // yaml reports an alias to a missing anchor, or aliases multiplying beyond reason (a "billion
    // laughs" file), as ReferenceErrors: problems of the file all the same.
    if (e instanceof YAMLParseError || e instanceof ReferenceError) throw new WorkPlanError(file, [e.message.split('\n')[0]!]);
    throw e;
  }
  const result = workPlanSchema.safeParse(raw);
  if (!result.success) {
    throw new WorkPlanError(
      file,
      result.error.issues.map((i) => `${pathToString(i.path) || '(top level)'}: ${i.message}`),
    );
  }
  return result.data;
}

export async function loadWorkPlan(file: string): Promise<WorkPlan> {
  return parseWorkPlan(await readFile(file, 'utf8'), file);
}
