import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
) as Record<string, unknown>;

/**
 * A validator of the official SARIF 2.1.0 schema (test/fixtures/sarif, OASIS). The schema is
 * draft-04 (`id`, not `$id`): ajv 8 reads it once that keyword is renamed.
 */
export function sarifValidator() {
  const { id, ...rest } = SCHEMA;
  delete rest.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ $id: id as string, ...rest });
}
