#!/usr/bin/env node
// Tiny launcher: the CLI lives in dist/cli/main.js (built with `npm run build`).
require('../dist/cli/main.js').main(process.argv.slice(2));
