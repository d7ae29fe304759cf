// The test environment: n8n's own Node environment, plus a quick exit for the worker that runs it.
//
// Each worker ends holding a few hundred MB (n8n-core is loaded afresh for every test file). On a
// natural exit Node frees that whole heap, which takes 0.5–0.7 s on a 2-core machine: longer than
// the 500 ms jest-worker waits before it kills the worker and prints "A worker process has failed
// to exit gracefully", after a run that passed. Measured by timing the worker's exit against the
// parent's timer. process.exit() skips the heap teardown; 'beforeExit' fires only once the worker
// has nothing left to do (jest has taken every result), so nothing is cut short.
const { TestEnvironment } = require('jest-environment-node');

const installed = Symbol.for('wistfare.test.quickExit');
if (!process[installed]) {
	process[installed] = true;
	process.once('beforeExit', (code) => process.exit(code));
}

module.exports = TestEnvironment;
