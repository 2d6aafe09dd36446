/**
 * Runs the whole ingest layer over the public corpora in shared/corpora (see its README.md) and pins
 * what comes out, so that a change in tolerance (or a crash on a real-world shape) shows up here.
 */
import { CORPORA, describeWithCorpora } from '../../helpers/corpora';
import { promises as fsp } from 'fs';
import * as path from 'path';
import {
  discoverTraceFiles,
  parseRecord,
  readTraceFile,
  type ReadTraceFileOptions,
} from '../../../src/ingest';

const JSONISH = /\.(json|json\.gz|jsonl)$/i;

interface CorpusStats {
  /** JSON-ish files found by walking the folder. */
  files: number;
  /** Items handed to sink.record. */
  records: number;
  /** Records accepted by parseRecord. */
  events: number;
  /** parseRecord rejections by reason. */
  rejected: Record<string, number>;
  /** sink.malformed calls. */
  malformed: number;
  /** File problems as `code: reason` → count. */
  problems: Record<string, number>;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

async function corpusStats(corpus: string, options?: ReadTraceFileOptions): Promise<CorpusStats> {
  const files = (await walk(path.join(CORPORA, corpus))).filter((f) => JSONISH.test(f));
  const stats: CorpusStats = {
    files: files.length,
    records: 0,
    events: 0,
    rejected: {},
    malformed: 0,
    problems: {},
  };
  for (const file of files) {
    const outcome = await readTraceFile(
      file,
      {
        record(value) {
          stats.records++;
          const result = parseRecord(value);
          if (result.ok) stats.events++;
          else stats.rejected[result.reason] = (stats.rejected[result.reason] ?? 0) + 1;
        },
        malformed() {
          stats.malformed++;
        },
      },
      options,
    );
    if (outcome.problem) {
      const key = `${outcome.problem.code}: ${outcome.problem.reason}`;
      stats.problems[key] = (stats.problems[key] ?? 0) + 1;
    }
  }
  return stats;
}

const NOT_CLOUDTRAIL =
  'PT-FILE-NOT-CLOUDTRAIL: JSON is not CloudTrail: expected {"Records":[…]}, an array of events or JSON lines';

/** Pinned from the data (see shared/corpora/README.md for what each folder holds). */
const EXPECTED: Record<string, CorpusStats> = {
  'cloudmapper-demo-authz-details': {
    files: 1,
    records: 0,
    events: 0,
    rejected: {},
    malformed: 0,
    problems: { [NOT_CLOUDTRAIL]: 1 },
  },
  // 4 authorization-details files and 1 cloudsplaining results file (an array of policy findings).
  'cloudsplaining-authz-details': {
    files: 5,
    records: 0,
    events: 0,
    rejected: {},
    malformed: 0,
    problems: { [NOT_CLOUDTRAIL]: 5 },
  },
  'invictus-aws_dataset': {
    files: 55,
    records: 2900,
    events: 2900,
    rejected: {},
    malformed: 0,
    problems: {},
  },
  // Logstash-mangled JSON lines: `@timestamp` replaces `eventTime`.
  'otrf-security-datasets-aws': {
    files: 1,
    records: 103,
    events: 103,
    rejected: {},
    malformed: 0,
    problems: {},
  },
  // Hand-edited test events: some lack eventTime or eventSource, two have "redacted"/"..." times,
  // one lists its resources as strings (a damaged record: never read as "no resource").
  'panther-analysis-test-events': {
    files: 1,
    records: 480,
    events: 462,
    rejected: {
      'eventTime missing': 13,
      'eventTime unparseable': 2,
      'eventSource missing': 2,
      'resources is not a list of {ARN, type, accountId} objects': 1,
    },
    malformed: 0,
    problems: {},
  },
  'permiso-cloudconsolecartographer': {
    files: 32,
    records: 9226,
    events: 9226,
    rejected: {},
    malformed: 0,
    problems: {},
  },
  'trailscraper-fixtures': { files: 3, records: 7, events: 7, rejected: {}, malformed: 0, problems: {} },
  // aws.execution.ec2-user-data.json is really broken upstream: a comma is missing between two
  // records (line 111/112), so the whole file is refused and its 3 records are lost.
  'zmallen-cloudtrail2sightings': {
    files: 4,
    records: 12,
    events: 12,
    rejected: {},
    malformed: 0,
    problems: {
      'PT-FILE-UNREADABLE: invalid JSON at line 112, column 1 (damaged or truncated file?)': 1,
    },
  },
};

describeWithCorpora('shared corpora', () => {
  it('Given the corpora folder, When listed, Then every corpus is pinned here', async () => {
    const folders = (await fsp.readdir(CORPORA, { withFileTypes: true })).filter((e) => e.isDirectory());
    expect(folders.map((e) => e.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))(
    'Given corpus %s, When every JSON-ish file is read and parsed, Then the counts are as pinned',
    async (corpus) => {
      // Given a real-world corpus; When read (whole-file path) and parsed; Then no crash and the
      // pinned counts.
      expect(await corpusStats(corpus)).toEqual(EXPECTED[corpus]);
    },
  );

  it.each(Object.keys(EXPECTED).filter((c) => c !== 'zmallen-cloudtrail2sightings'))(
    'Given corpus %s, When stream-parsed, Then the counts match the whole-file path',
    async (corpus) => {
      // Given the same corpus; When forced onto the streaming path; Then identical results.
      expect(await corpusStats(corpus, { maxBufferedBytes: 1024 })).toEqual(EXPECTED[corpus]);
    },
  );

  it('Given the broken zmallen file, When stream-parsed, Then the record before the damage is kept', async () => {
    // Given the file with a missing comma; When streamed; Then the first of its records arrives
    // before the parser stops, and the file is still reported as unreadable.
    const stats = await corpusStats('zmallen-cloudtrail2sightings', { maxBufferedBytes: 1024 });
    expect(stats.events).toBe(13);
    expect(Object.keys(stats.problems)).toEqual([
      "PT-FILE-UNREADABLE: invalid JSON: expected ',' (damaged or truncated file?)",
    ]);
  });

  it('Given the invictus corpus, When parsed, Then the identity shapes match its README', async () => {
    // Given invictus (IAM user bert-jan, about 10% errors); When parsed; Then the user's count is
    // exact and errors are kept on the events. The README says 2,641; the data holds 2,642
    // `IAMUser` events named bert-jan (2,386 direct, 256 with invokedBy), counted independently.
    let bertJan = 0;
    let errors = 0;
    for (const file of (await walk(path.join(CORPORA, 'invictus-aws_dataset'))).filter((f) =>
      JSONISH.test(f),
    )) {
      await readTraceFile(file, {
        record(value) {
          const result = parseRecord(value);
          if (!result.ok) return;
          if (result.event.identity.userName === 'bert-jan') bertJan++;
          if (result.event.errorCode) errors++;
        },
        malformed: () => undefined,
      });
    }
    expect(bertJan).toBe(2642);
    expect(errors / 2900).toBeGreaterThan(0.05);
    expect(errors / 2900).toBeLessThan(0.15);
  });

  it('Given the corpora, When discovered, Then YAML and other non-JSON files are ignored', async () => {
    // Given panther's 141 YAML files and otrf's 2 YAML metadata files; When discovered;
    // Then none is taken, and all are counted as ignored.
    const panther = await discoverTraceFiles([path.join(CORPORA, 'panther-analysis-test-events')], {});
    expect(panther.files.map((f) => path.basename(f.path))).toEqual(['DERIVED-test-events.jsonl']);
    const yaml = (await walk(path.join(CORPORA, 'panther-analysis-test-events'))).filter((f) =>
      /\.ya?ml$/.test(f),
    );
    expect(yaml.length).toBe(141);
    expect(panther.ignored).toBe(yaml.length + 3); // + the index .tsv, LICENSE.txt, SOURCE.txt

    const all = await discoverTraceFiles([CORPORA], {});
    expect(all.files.some((f) => /\.(ya?ml|tsv|txt|md)$/i.test(f.path))).toBe(false);
    expect(all.files).toHaveLength(102);
    expect(all.outsideWindow).toBe(0);
  });
});
