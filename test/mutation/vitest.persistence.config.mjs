import { persistence } from './groups.mjs';
import { vitestConfig } from './vitest.shared.mjs';

export default vitestConfig(persistence.tests);
