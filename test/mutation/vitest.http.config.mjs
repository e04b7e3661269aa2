import { http } from './groups.mjs';
import { vitestConfig } from './vitest.shared.mjs';

export default vitestConfig(http.tests);
