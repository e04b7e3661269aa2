import { guards } from './groups.mjs';
import { vitestConfig } from './vitest.shared.mjs';

export default vitestConfig(guards.tests);
