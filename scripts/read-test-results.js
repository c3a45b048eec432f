#!/usr/bin/env node
/*
 * Turns a test runner's JSON report into the counts test.sh adds up, and refuses to do so for
 * any report that cannot prove its tests ran: an unreadable or missing report, runner errors
 * (a spec that fails to load, a web server that cannot start, a `test.only` under CI), fewer
 * tests run than exist, or database variants that silently did not run.
 *
 * Usage:
 *   read-test-results.js jest <report.json> <database-id>...
 *   read-test-results.js playwright <report.json> <list.json>
 *
 * Prints "<passed> <failed> <skipped>" on stdout; on a broken report prints nothing there,
 * explains on stderr and exits 1. Problems that are test failures rather than broken reports
 * (a missing database variant) are printed on stderr and counted as failed.
 */
'use strict';

const fs = require('fs');

function fail(message) {
  process.stderr.write(`!! ${message}\n`);
  process.exit(1);
}

function readReport(file, what) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`the ${what} report ${file} cannot be read: ${error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`the ${what} report ${file} is not JSON: ${error.message}`);
  }
}

function count(value, name) {
  if (!Number.isInteger(value) || value < 0) {
    fail(`the report's ${name} is ${JSON.stringify(value)}, not a count`);
  }
  return value;
}

/**
 * Backstage's TestDatabases leaves out a database it has no connection for, without a word.
 * Every database the command provides must have run tests of its own: the database id is part
 * of each such test's name (`describe.each(databases.eachSupportedId())`).
 */
function databaseVariants(report, databaseIds) {
  const titles = report.testResults.flatMap(file =>
    (file.assertionResults ?? []).map(test => ({
      name: [...(test.ancestorTitles ?? []), test.title].join(' '),
      status: test.status,
    })),
  );
  let missing = 0;
  for (const id of databaseIds) {
    const ran = titles.filter(t => t.name.includes(id));
    const passed = ran.filter(t => t.status === 'passed').length;
    process.stderr.write(
      `   ${id}: ${ran.length} tests ran, ${passed} passed\n`,
    );
    if (passed === 0) {
      process.stderr.write(`!! no test ran on ${id}\n`);
      missing += 1;
    }
  }
  return missing;
}

function jest(file, databaseIds) {
  const report = readReport(file, 'Jest');
  if (!Array.isArray(report.testResults)) {
    fail('the Jest report has no testResults');
  }
  const passed = count(report.numPassedTests, 'numPassedTests');
  const skipped =
    count(report.numPendingTests, 'numPendingTests') +
    count(report.numTodoTests, 'numTodoTests');
  // A test file that fails to load or to finish has no failed tests of its own.
  const brokenFiles = report.testResults.filter(
    t =>
      t.status === 'failed' &&
      !(t.assertionResults ?? []).some(a => a.status === 'failed'),
  ).length;
  const failed =
    count(report.numFailedTests, 'numFailedTests') +
    brokenFiles +
    databaseVariants(report, databaseIds);
  if (passed + failed === 0) {
    fail('the Jest report counts no test at all');
  }
  return [passed, failed, skipped];
}

/** Every test in a Playwright JSON report's suite tree, with its outcome. */
function playwrightTests(suites) {
  return (suites ?? []).flatMap(suite => [
    ...(suite.specs ?? []).flatMap(spec => spec.tests ?? []),
    ...playwrightTests(suite.suites),
  ]);
}

function playwrightErrors(report, what) {
  const errors = report.errors ?? [];
  for (const error of errors) {
    process.stderr.write(
      `!! ${what}: ${error.message ?? JSON.stringify(error)}\n`,
    );
  }
  return errors.length;
}

function playwright(file, listFile) {
  const list = readReport(listFile, 'Playwright list');
  if (playwrightErrors(list, 'listing the end-to-end tests')) {
    fail('the end-to-end tests cannot be listed');
  }
  const existing = playwrightTests(list.suites).length;
  if (existing === 0) {
    fail('no end-to-end test exists');
  }

  const report = readReport(file, 'Playwright');
  if (!report.stats) {
    fail('the Playwright report has no stats');
  }
  const { stats } = report;
  const passed =
    count(stats.expected, 'stats.expected') + count(stats.flaky, 'stats.flaky');
  const unexpected = count(stats.unexpected, 'stats.unexpected');
  const skipped = count(stats.skipped, 'stats.skipped');
  let failed = unexpected + playwrightErrors(report, 'the end-to-end run');
  const ran = passed + unexpected + skipped;
  if (ran < existing) {
    process.stderr.write(
      `!! only ${ran} of ${existing} end-to-end tests ran\n`,
    );
    failed += existing - ran;
  }
  return [passed, failed, skipped];
}

const [kind, file, ...rest] = process.argv.slice(2);
if (kind === 'jest' && file) {
  console.log(jest(file, rest).join(' '));
} else if (kind === 'playwright' && file && rest.length === 1) {
  console.log(playwright(file, rest[0]).join(' '));
} else {
  fail(
    'usage: read-test-results.js jest <report.json> <database-id>... | playwright <report.json> <list.json>',
  );
}
