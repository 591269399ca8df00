#!/usr/bin/env node
// Makes `npm run demo` and `npm test` work on a fresh clone: installs the Debian packages the
// chosen task needs (when run as root; otherwise prints the command) and the npm dependencies
// (when node_modules is missing or older than package-lock.json). Plain Node, no dependencies:
// it runs before any are installed.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** Debian package → a file it installs, per task. */
const PACKAGES = {
  // code-server builds native modules (gssapi headers, a compiler) and uses Debian's ripgrep.
  demo: { 'libkrb5-dev': '/usr/include/gssapi/gssapi.h', ripgrep: '/usr/bin/rg', make: '/usr/bin/make', 'g++': '/usr/bin/g++', python3: '/usr/bin/python3' },
  // The tests also drive VS Code in Chromium, and make a certificate with openssl.
  test: { chromium: '/usr/bin/chromium', openssl: '/usr/bin/openssl' },
};

function run(command, args) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    console.error(`${command} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

function ensureDebianPackages(task) {
  const wanted = task === 'test' ? { ...PACKAGES.demo, ...PACKAGES.test } : PACKAGES.demo;
  const missing = Object.entries(wanted)
    .filter(([, file]) => !fs.existsSync(file))
    .map(([name]) => name);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`These Debian packages are needed: ${missing.join(' ')}\nInstall them, then run this again:\n  sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}

function ensureNodeModules() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const task = process.argv[2];
if (task !== 'demo' && task !== 'test') {
  console.error('usage: node scripts/bootstrap.js demo|test');
  process.exit(2);
}
ensureDebianPackages(task);
ensureNodeModules();
