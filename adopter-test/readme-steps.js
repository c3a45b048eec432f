#!/usr/bin/env node
/*
 * Applies to an app exactly what the README's installation section tells an adopter to do, so
 * the adopter test cannot drift from the documentation. A step is a fenced code block right
 * after a marker comment:
 *
 *   <!-- adopter-test: run -->                                   the block runs in the app (bash)
 *   <!-- adopter-test: insert into <file> before "<line>" -->    the block goes before that line
 *   <!-- adopter-test: append to <file> -->                      the block is added at the end
 *
 * Usage: readme-steps.js <README.md> <app-dir>
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [readme, appDir] = process.argv.slice(2);
if (!readme || !appDir) {
  process.stderr.write('usage: readme-steps.js <README.md> <app-dir>\n');
  process.exit(2);
}

const markdown = fs.readFileSync(readme, 'utf8');
const steps = [
  ...markdown.matchAll(
    /<!-- adopter-test: (.+?) -->\s*\n```\w*\n([\s\S]*?)\n```/g,
  ),
].map(([, action, block]) => ({ action, block }));
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
  } else if ((match = action.match(/^insert into (\S+) before "(.+)"$/))) {
    const file = path.join(appDir, match[1]);
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex(line => line.trim() === match[2]);
    if (
      at < 0 ||
      lines.findIndex((l, i) => i > at && l.trim() === match[2]) >= 0
    ) {
      throw new Error(
        `${match[1]} has no single line "${match[2]}" to insert before`,
      );
    }
    lines.splice(at, 0, ...block.split('\n'), '');
    fs.writeFileSync(file, lines.join('\n'));
  } else if ((match = action.match(/^append to (\S+)$/))) {
    fs.appendFileSync(path.join(appDir, match[1]), `\n${block}\n`);
  } else {
    throw new Error(`unknown adopter-test step "${action}"`);
  }
}
