// Files the package ships beside its code: the work plan, the migrations. The code runs from src/ in
// a checkout (through tsx) and from dist/src/ once built, so their paths start at the package root,
// wherever this module was loaded from.
import { fileURLToPath } from 'node:url';

/** src/ → the package; dist/src/ (compiled: this module is .js) → dist/ → the package. */
const packageRoot = new URL(import.meta.url.endsWith('.js') ? '../../' : '../', import.meta.url);

/** The absolute path of a file of the package, e.g. `packageFile('prisma/migrations')`. */
export function packageFile(path: string): string {
  return fileURLToPath(new URL(path, packageRoot));
}
