import { delivery } from './groups.mjs';
import { vitestConfig } from './vitest.shared.mjs';

export default vitestConfig(delivery.tests);
