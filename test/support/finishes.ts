// Runs synchronous code under a deadline: a loop that never ends fails the test instead of hanging
// the whole run (a vm timeout interrupts any JavaScript running inside the call, in this thread).
import vm from 'node:vm';

export function finishesWithin<T>(ms: number, run: () => T): T {
  return vm.runInNewContext('run()', { run }, { timeout: ms }) as T;
}
