#!/usr/bin/env node
/*
 * A registry for one scope, standing in for the public npm registry our packages will be
 * published to: it serves the packuments and tarballs of the packed packages in <dir>, so the
 * stock apps install them by name (`yarn add @ingestion-keys/...`) exactly as an adopter
 * would, with every other package still coming from the real registry.
 *
 * Usage: registry.js <tarball-dir>   (listens on a free port and prints "listening on <url>")
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync } = require('child_process');

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: registry.js <tarball-dir>\n');
  process.exit(2);
}

const published = new Date().toISOString();
const packages = new Map();
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const tarball = fs.readFileSync(path.join(dir, file));
  const manifest = JSON.parse(
    execFileSync('tar', [
      '-xzOf',
      path.join(dir, file),
      'package/package.json',
    ]),
  );
  const digest = algorithm => crypto.createHash(algorithm).update(tarball);
  packages.set(manifest.name, {
    file,
    tarball,
    packument: base => ({
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      time: {
        created: published,
        modified: published,
        [manifest.version]: published,
      },
      versions: {
        [manifest.version]: {
          ...manifest,
          dist: {
            tarball: `${base}/-/${encodeURIComponent(file)}`,
            shasum: digest('sha1').digest('hex'),
            integrity: `sha512-${digest('sha512').digest('base64')}`,
          },
        },
      },
    }),
  });
}

const server = http
  .createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    const tarball = url.startsWith('/-/')
      ? [...packages.values()].find(p => `/-/${p.file}` === url)
      : undefined;
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(tarball.tarball);
      return;
    }
    const pkg = packages.get(url.slice(1));
    if (pkg) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          pkg.packument(`http://localhost:${server.address().port}`),
        ),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Not found' }));
  })
  .listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    process.stdout.write(
      `listening on http://localhost:${port} with ${[...packages.keys()].join(
        ', ',
      )}\n`,
    );
  });
