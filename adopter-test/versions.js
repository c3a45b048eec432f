#!/usr/bin/env node
/*
 * What installing our packages did to a stock app's dependency tree.
 *
 *   versions.js snapshot <app-dir> <out.json>
 *     walks every node_modules folder of the app (the root's, each workspace's, and the nested
 *     ones under packages) and records each installed package's name, version and place.
 *   versions.js compare <before.json> <after.json>
 *     prints, for the framework singletons, the versions the app had and has; fails (exit 1)
 *     when the install added a version of one of them that the app did not already resolve, or
 *     changed the version of any package at the top of the app's node_modules. Several copies
 *     of one version (yarn installs one per set of peers) are not a new version.
 *   versions.js installed <app-dir> <tarball-dir>
 *     fails unless every installed copy of a packed package holds exactly the tarball's files
 *     (and at least one is installed), so a stale copy from an earlier run can never be what
 *     the browser test sees.
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const SINGLETONS = [
  '@backstage/core-plugin-api',
  '@backstage/frontend-plugin-api',
  '@backstage/core-components',
  '@backstage/plugin-catalog-react',
  '@backstage/backend-plugin-api',
  '@backstage/plugin-catalog-node',
];

function readManifest(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function walk(modulesDir, appDir, found) {
  let entries;
  try {
    entries = fs.readdirSync(modulesDir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(modulesDir, entry.name);
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      walk(full, appDir, found);
      continue;
    }
    // Symlinks are the app's own workspaces; their node_modules are walked from packages/.
    if (!entry.isDirectory()) continue;
    const manifest = readManifest(full);
    if (manifest?.name && manifest.version) {
      found.push({
        name: manifest.name,
        version: manifest.version,
        at: path.relative(appDir, full),
      });
    }
    walk(path.join(full, 'node_modules'), appDir, found);
  }
}

function snapshot(appDir, out) {
  const found = installedPackages(appDir);
  fs.writeFileSync(out, JSON.stringify(found, null, 1));
  process.stdout.write(`${found.length} installed packages recorded\n`);
}

const versionsOf = (tree, name) =>
  [...new Set(tree.filter(p => p.name === name).map(p => p.version))].sort();

const topLevel = tree =>
  new Map(
    tree
      .filter(p => p.at === path.join('node_modules', p.name))
      .map(p => [p.name, p.version]),
  );

function compare(beforeFile, afterFile) {
  const before = JSON.parse(fs.readFileSync(beforeFile, 'utf8'));
  const after = JSON.parse(fs.readFileSync(afterFile, 'utf8'));
  const problems = [];

  const rows = SINGLETONS.map(name => {
    const had = versionsOf(before, name);
    const has = versionsOf(after, name);
    const added = has.filter(v => !had.includes(v));
    if (added.length) {
      problems.push(
        `${name}: the install added ${added.join(', ')} (the app had ${
          had.join(', ') || 'none'
        })`,
      );
    }
    return [
      name,
      had.join(', ') || '-',
      has.join(', ') || '-',
      added.length ? 'NEW VERSION' : 'same',
    ];
  });
  const widths = [0, 1, 2, 3].map(i =>
    Math.max(
      ...[['package', 'before', 'after', ''], ...rows].map(r => r[i].length),
    ),
  );
  for (const row of [['package', 'before', 'after', ''], ...rows]) {
    process.stdout.write(
      `  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ')}\n`,
    );
  }

  const afterTop = topLevel(after);
  let changed = 0;
  for (const [name, version] of topLevel(before)) {
    const now = afterTop.get(name);
    if (now !== version) {
      changed += 1;
      problems.push(`top-level ${name}: ${version} became ${now ?? 'absent'}`);
    }
  }
  const addedPackages = new Set(after.map(p => `${p.name}@${p.version}`));
  for (const p of before) addedPackages.delete(`${p.name}@${p.version}`);
  process.stdout.write(
    `  top-level versions changed: ${changed}; package versions added: ${addedPackages.size}` +
      ` (${[...addedPackages].sort().join(', ')})\n`,
  );
  for (const problem of problems) process.stderr.write(`!! ${problem}\n`);
  process.exit(problems.length ? 1 : 0);
}

function filesUnder(dir) {
  const hashes = new Map();
  const visit = sub => {
    for (const entry of fs.readdirSync(path.join(dir, sub), {
      withFileTypes: true,
    })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(rel);
      } else {
        const content = fs.readFileSync(path.join(dir, rel));
        hashes.set(
          rel,
          crypto.createHash('sha256').update(content).digest('hex'),
        );
      }
    }
  };
  visit('');
  return hashes;
}

function installedPackages(appDir) {
  const found = [];
  walk(path.join(appDir, 'node_modules'), appDir, found);
  for (const workspace of fs.readdirSync(path.join(appDir, 'packages'))) {
    walk(
      path.join(appDir, 'packages', workspace, 'node_modules'),
      appDir,
      found,
    );
  }
  return found;
}

function installed(appDir, tarballDir) {
  const problems = [];
  const copies = installedPackages(appDir);
  let checked = 0;
  for (const file of fs
    .readdirSync(tarballDir)
    .filter(f => f.endsWith('.tgz'))) {
    const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'adopter-tgz-'));
    execFileSync('tar', ['-xzf', path.join(tarballDir, file), '-C', unpacked]);
    const packed = filesUnder(path.join(unpacked, 'package'));
    const name = readManifest(path.join(unpacked, 'package')).name;
    fs.rmSync(unpacked, { recursive: true, force: true });
    const places = copies.filter(p => p.name === name).map(p => p.at);
    if (!places.length)
      process.stdout.write(
        `${name}: not installed (the app did not ask for it)\n`,
      );
    checked += places.length;
    for (const place of places) {
      const got = filesUnder(path.join(appDir, place));
      const differing = [...new Set([...packed.keys(), ...got.keys()])].filter(
        f => packed.get(f) !== got.get(f),
      );
      if (differing.length) {
        problems.push(
          `${place} differs from ${file}: ${differing.slice(0, 5).join(', ')}`,
        );
      }
    }
  }
  if (!checked)
    problems.push(`none of the packages in ${tarballDir} is installed`);
  for (const problem of problems) process.stderr.write(`!! ${problem}\n`);
  if (!problems.length) {
    process.stdout.write(
      `${checked} installed copies hold exactly their tarball's files\n`,
    );
  }
  process.exit(problems.length ? 1 : 0);
}

const [command, ...args] = process.argv.slice(2);
const commands = { snapshot, compare, installed };
if (!commands[command] || args.length !== 2) {
  process.stderr.write(
    'usage: versions.js snapshot|compare|installed <arg> <arg>\n',
  );
  process.exit(2);
}
commands[command](...args);
