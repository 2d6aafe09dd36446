import { readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { assemble } = require('../../../scripts/build-wasm.js') as {
  assemble(file: string): Promise<Buffer>;
};

const SRC = path.resolve(__dirname, '../../../src/ingest');

describe('record-scan.wasm', () => {
  it('is the committed binary of record-scan.wat (run `npm run build:wasm` after editing the .wat)', async () => {
    const built = await assemble(path.join(SRC, 'record-scan.wat'));
    expect(Buffer.compare(built, readFileSync(path.join(SRC, 'record-scan.wasm')))).toBe(0);
  });

  it('goes into dist with the build, beside the module that loads it', () => {
    const dist = path.resolve(__dirname, '../../../dist/ingest');
    expect(readFileSync(path.join(dist, 'record-scan.wasm'))).toEqual(
      readFileSync(path.join(SRC, 'record-scan.wasm')),
    );
  });
});
