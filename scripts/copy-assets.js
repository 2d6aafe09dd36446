#!/usr/bin/env node
// Build step: files tsc does not emit go beside the compiled code in dist/: vendored data's
// licence texts (tsc copies the imported JSON, not the licences next to it) and WebAssembly
// modules (src/ingest/record-scan.wasm, assembled by scripts/build-wasm.js and committed).
const { cpSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/^(LICENSE|NOTICE)/.test(name) || name.endsWith('.wasm')) {
      const to = path.join(root, 'dist', path.relative(path.join(root, 'src'), p));
      cpSync(p, to);
    }
  }
}
walk(path.join(root, 'src'));
