#!/usr/bin/env node
// Tiny launcher: the CLI lives in dist/cli/main.js (built with `npm run build`).
const path = require('node:path');
const main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!require('node:fs').existsSync(main)) {
  process.stderr.write(
    'policy-tighten: not built: run `npm run build` (or install the package, which builds it)\n',
  );
  process.exit(1);
}
require(main).main(process.argv.slice(2));
