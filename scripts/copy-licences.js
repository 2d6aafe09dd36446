#!/usr/bin/env node
// Build step: vendored data keeps its licence beside it in dist/ (tsc copies the imported JSON,
// not the licence texts next to it).
const { cpSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/^(LICENSE|NOTICE)/.test(name)) {
      const to = path.join(root, 'dist', path.relative(path.join(root, 'src'), p));
      cpSync(p, to);
    }
  }
}
walk(path.join(root, 'src'));
