#!/usr/bin/env node
// Assembles src/ingest/record-scan.wat into src/ingest/record-scan.wasm (committed, so that a
// build needs no assembler): `npm run build:wasm` after editing the .wat.
// test/unit/ingest/record-scan-wasm.test.ts fails when the committed binary is not this text's.
const { Buffer } = require('node:buffer');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

/** The binary of the .wat at `file` (wabt, a devDependency). */
async function assemble(file) {
  const wabt = await require('wabt')();
  const module = wabt.parseWat(path.basename(file), readFileSync(file, 'utf8'), { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

module.exports = { assemble };

if (require.main === module) {
  const wat = path.resolve(__dirname, '../src/ingest/record-scan.wat');
  assemble(wat).then((bytes) => {
    writeFileSync(wat.replace(/\.wat$/, '.wasm'), bytes);
    console.log(`${path.relative(process.cwd(), wat.replace(/\.wat$/, '.wasm'))}: ${bytes.length} bytes`);
  });
}
