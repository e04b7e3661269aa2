import { text } from './groups.mjs';
import { vitestConfig } from './vitest.shared.mjs';

export default vitestConfig(text.tests);
