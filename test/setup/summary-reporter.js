// Prints one plain closing line, `tests: N passed, N failed[, N skipped]`, that any CI can read.
// Jest prints its own summary after custom reporters, so the line is written when the process exits.
const { writeSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // A suite that failed to run (syntax error, failing hook) counts as a failure too.
    const brokenSuites = results.testResults.filter((r) => r.testExecError).length;
    const failed = results.numFailedTests + brokenSuites;
    const line =
      `tests: ${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
    process.once('exit', () => writeSync(2, `\n${line}\n`));
  }
}
module.exports = SummaryReporter;
