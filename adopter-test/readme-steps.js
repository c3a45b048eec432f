#!/usr/bin/env node
/*
 * Applies to an app exactly what the README's installation section tells an adopter to do, so
 * the adopter test cannot drift from the documentation. A step is a fenced code block right
 * after a marker comment, for every app or only for apps of one frontend system:
 *
 *   <!-- adopter-test: run -->                          the block runs in the app (bash)
 *   <!-- adopter-test (legacy): insert into <file> before "<line>" [following "<line>"] -->
 *                                                       the block goes before that line (the
 *                                                       first one after the `following` line)
 *   <!-- adopter-test: append to <file> -->             the block is added at the end
 *
 * Usage: readme-steps.js <README.md> <app-dir> <new|legacy>
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [readme, appDir, system] = process.argv.slice(2);
if (!readme || !appDir || !['new', 'legacy'].includes(system)) {
  process.stderr.write(
    'usage: readme-steps.js <README.md> <app-dir> <new|legacy>\n',
  );
  process.exit(2);
}

/** The index of the one line equal to `line` (trimmed) at or after `from`. */
function lineIndex(lines, line, from, file) {
  const at = lines.findIndex((l, i) => i >= from && l.trim() === line);
  if (at < 0) throw new Error(`${file} has no line "${line}"`);
  return at;
}

const markdown = fs.readFileSync(readme, 'utf8');
const steps = [
  ...markdown.matchAll(
    /<!-- adopter-test(?: \((new|legacy)\))?: (.+?) -->\s*\n```\w*\n([\s\S]*?)\n```/g,
  ),
]
  .filter(([, only]) => !only || only === system)
  .map(([, , action, block]) => ({ action, block }));
if (!steps.length) {
  process.stderr.write(`!! ${readme} has no adopter-test steps\n`);
  process.exit(1);
}

for (const { action, block } of steps) {
  process.stdout.write(`== README step: ${action}\n${block}\n`);
  let match;
  if (action === 'run') {
    execFileSync('bash', ['-euo', 'pipefail', '-c', block], {
      cwd: appDir,
      stdio: 'inherit',
    });
  } else if (
    (match = action.match(
      /^insert into (\S+) before "(.+?)"(?: following "(.+)")?$/,
    ))
  ) {
    const [, file, line, following] = match;
    const lines = fs.readFileSync(path.join(appDir, file), 'utf8').split('\n');
    const from = following ? lineIndex(lines, following, 0, file) + 1 : 0;
    const at = lineIndex(lines, line, from, file);
    if (!following && lines.some((l, i) => i > at && l.trim() === line)) {
      throw new Error(
        `${file} has more than one line "${line}": say which it follows`,
      );
    }
    lines.splice(at, 0, ...block.split('\n'));
    fs.writeFileSync(path.join(appDir, file), lines.join('\n'));
  } else if ((match = action.match(/^append to (\S+)$/))) {
    fs.appendFileSync(path.join(appDir, match[1]), `\n${block}\n`);
  } else {
    throw new Error(`unknown adopter-test step "${action}"`);
  }
}
