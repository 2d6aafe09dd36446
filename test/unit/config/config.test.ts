import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  applySuppressions,
  loadConfig,
  parseConfig,
  suppressionMatches,
  unusedSuppressions,
} from '../../../src/config';
import { InputError, PolicyTightenError } from '../../../src/errors';
import type { Finding } from '../../../src/model';

const finding = (id: string): Finding => ({
  id,
  code: id.slice(0, id.indexOf('[')) as Finding['code'],
  severity: 'warning',
  message: 'm',
  count: 1,
  sampleEventIds: [],
});

describe('suppressionMatches', () => {
  it.each([
    ['PT-WILDCARD-RESOURCE[xray:PutTraceSegments]', 'PT-WILDCARD-RESOURCE[xray:PutTraceSegments]', true],
    ['PT-WILDCARD-RESOURCE[xray:PutTraceSegments]', 'PT-WILDCARD-RESOURCE[xray:GetSamplingRules]', false],
    ['PT-WILDCARD-RESOURCE[xray:*]', 'PT-WILDCARD-RESOURCE[xray:GetSamplingRules]', true],
    ['PT-WILDCARD-RESOURCE[xray:*]', 'PT-WILDCARD-RESOURCE[s3:GetObject]', false],
    ['PT-COMPACTED[*]', 'PT-COMPACTED[arn:aws:dynamodb:us-east-1:1:table/etl_*]', true],
    ['PT-COMPACTED[*]', 'PT-QUOTA-EXCEEDED[managed]', false],
    ['PT-UNMAPPED[a.b]', 'PT-UNMAPPED[aXb]', false], // `.` is literal
  ])('%s matches %s: %s', (id, findingId, expected) => {
    expect(suppressionMatches(id, findingId)).toBe(expected);
  });
});

describe('applySuppressions', () => {
  it('marks matching findings with the reason, keeps all, changes nothing in the input', () => {
    // Given two findings and a suppression of one
    const findings = [
      finding('PT-WILDCARD-RESOURCE[xray:PutTraceSegments]'),
      finding('PT-DENIED-CALL[s3:GetObject]'),
    ];
    const config = {
      suppressions: [
        { id: 'PT-WILDCARD-RESOURCE[xray:PutTraceSegments]', reason: 'X-Ray has no resource type' },
      ],
    };
    // When applied
    const out = applySuppressions(findings, config);
    // Then the first is marked, the second is not, and both are kept
    expect(out.map((f) => f.suppressed)).toEqual([{ reason: 'X-Ray has no resource type' }, undefined]);
    expect(findings[0].suppressed).toBeUndefined();
    expect(unusedSuppressions(findings, config)).toEqual([]);
    expect(unusedSuppressions([], config)).toEqual(config.suppressions);
  });

  it('rejects a suppression without a reason', () => {
    expect(() => applySuppressions([], { suppressions: [{ id: 'PT-COMPACTED[*]', reason: ' ' }] })).toThrow(
      /reason/,
    );
  });
});

describe('loadConfig / parseConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pt-config-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('loads a valid file (reasons trimmed)', async () => {
    const p = file(
      'ok.json',
      JSON.stringify({ suppressions: [{ id: 'PT-COMPACTED[*]', reason: ' fits quota \n' }] }),
    );
    await expect(loadConfig(p)).resolves.toEqual({
      suppressions: [{ id: 'PT-COMPACTED[*]', reason: 'fits quota' }],
    });
  });

  it('accepts an empty object', () => {
    expect(parseConfig({}, 'c')).toEqual({ suppressions: [] });
  });

  it.each<[string, string, RegExp]>([
    [
      'no reason',
      JSON.stringify({ suppressions: [{ id: 'PT-COMPACTED[*]' }] }),
      /suppressions\[0\]: PT-COMPACTED\[\*\] needs a non-empty "reason"$/,
    ],
    [
      'a bad id',
      JSON.stringify({ suppressions: [{ id: 'compacted', reason: 'r' }] }),
      /"compacted" is not a finding id of the form CODE\[detail\]/,
    ],
    [
      'a wildcard code',
      JSON.stringify({ suppressions: [{ id: 'PT-*[x]', reason: 'r' }] }),
      /not a finding id/,
    ],
    ['an unknown key', JSON.stringify({ supressions: [] }), /unknown key "supressions"/],
    [
      'an unknown entry key',
      JSON.stringify({ suppressions: [{ id: 'PT-COMPACTED[*]', reason: 'r', note: 1 }] }),
      /unknown key "note"/,
    ],
    ['not an object', '[]', /must be a JSON object/],
    ['suppressions not an array', '{"suppressions":{}}', /"suppressions" must be an array/],
    ['bad JSON', '{ nope', /is not valid JSON/],
  ])('rejects %s with one clear line', async (name, text, message) => {
    const p = file(`${name.replace(/\W/g, '_')}.json`, text);
    const err = await loadConfig(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(PolicyTightenError.is(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('says when the file is missing', async () => {
    await expect(loadConfig(path.join(dir, 'missing.json'))).rejects.toThrow(/^config file not found: /);
  });
});
