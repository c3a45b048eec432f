#!/usr/bin/env node
/*
 * Moves a freshly scaffolded stock app to the newest Backstage release on the registry: every
 * `@backstage/*` dependency of the app's package.json files becomes a caret range from that
 * package's `latest` version, as `backstage-cli versions:bump` would do (which cannot reach its
 * release manifest host from here). Prints each package's move.
 *
 * Usage: bump-to-newest.js <app-dir> <registry-url>
 */
'use strict';

const fs = require('fs');
const path = require('path');

async function latestVersion(registry, name) {
  const response = await fetch(`${registry}/${name.replace('/', '%2f')}`, {
    headers: { accept: 'application/vnd.npm.install-v1+json' },
  });
  if (!response.ok) {
    throw new Error(`${name}: the registry answered ${response.status}`);
  }
  return (await response.json())['dist-tags'].latest;
}

async function main() {
  const [appDir, registryArg] = process.argv.slice(2);
  if (!appDir || !registryArg) {
    throw new Error('usage: bump-to-newest.js <app-dir> <registry-url>');
  }
  const registry = registryArg.replace(/\/$/, '');
  const manifests = ['.', 'packages/app', 'packages/backend'].map(dir =>
    path.join(appDir, dir, 'package.json'),
  );
  const names = new Set();
  for (const file of manifests) {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        if (name.startsWith('@backstage/')) names.add(name);
      }
    }
  }
  const latest = new Map(
    await Promise.all(
      [...names].map(async name => [name, await latestVersion(registry, name)]),
    ),
  );
  for (const file of manifests) {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (!latest.has(name)) continue;
        manifest[field][name] = `^${latest.get(name)}`;
        if (manifest[field][name] !== range) {
          process.stdout.write(
            `${path.relative(appDir, file)}: ${name} ${range} -> ^${latest.get(
              name,
            )}\n`,
          );
        }
      }
    }
    fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

main().catch(error => {
  process.stderr.write(`!! ${error.message}\n`);
  process.exit(1);
});
