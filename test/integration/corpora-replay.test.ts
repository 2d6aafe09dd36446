import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runGenerate } from '../../src/pipeline/run-generate';
import { loadCatalog } from '../../src/catalog/catalog';
import { unescapeIamLiteral } from '../../src/analyze/validate';
import { CORPORA, describeWithCorpora } from '../helpers/corpora';
import { simulate } from '../property/simulate';

/**
 * "Never break the function", on real trails: for every principal of the real delivery files in
 * ../shared/corpora, every permission its successful calls needed (their own actions and the
 * dependent ones: tag on create, iam:PassRole) is allowed by its generated policy, as judged by
 * @cloud-copilot/iam-simulate.
 */
const TRAILS = ['invictus-aws_dataset', 'zmallen-cloudtrail2sightings', 'trailscraper-fixtures'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function principals(dir: string): string[] {
  const out = new Set<string>();
  for (const f of files(dir).filter((x) => /\.json(\.gz)?$/.test(x))) {
    let records: Record<string, unknown>[];
    try {
      const raw = readFileSync(f);
      const text = (raw[0] === 0x1f ? gunzipSync(raw) : raw).toString('utf8');
      records = (JSON.parse(text) as { Records?: Record<string, unknown>[] }).Records ?? [];
    } catch {
      continue;
    }
    for (const r of records) {
      const id = r.userIdentity as Record<string, unknown> | undefined;
      if (!id || r.errorCode) continue;
      const issuer = (id.sessionContext as { sessionIssuer?: { arn?: string; type?: string } } | undefined)
        ?.sessionIssuer;
      if (id.type === 'AssumedRole' && issuer?.type === 'Role' && typeof issuer.arn === 'string')
        out.add(issuer.arn);
      if (id.type === 'IAMUser' && typeof id.arn === 'string') out.add(id.arn);
    }
  }
  return [...out].sort();
}

describeWithCorpora('replay of the corpora through iam-simulate (never break a successful call)', () => {
  for (const corpus of TRAILS) {
    const dir = path.join(CORPORA, corpus);
    it(`${corpus}: every permission of every successful call is allowed by its principal's policy`, async () => {
      const catalog = await loadCatalog();
      const denied: string[] = [];
      let checked = 0;
      let dependent = 0;
      for (const principal of principals(dir)) {
        const result = await runGenerate({ principal, trails: [dir], window: {}, catalog });
        for (const e of Object.values(result.usage.entries)) {
          checked++;
          if (e.origins.includes('dependent')) dependent++;
          // The request names the real resource; the policy writes "*", "?", "$" as IAM's escapes.
          const decision = await simulate(result.policies, e.action, unescapeIamLiteral(e.resource));
          if (decision !== 'Allowed') denied.push(`${principal}: ${e.action} on ${e.resource}: ${decision}`);
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(denied).toEqual([]);
      // The Terraform user of the Invictus trail tags on create and passes roles: 81 dependent
      // permissions (118 calls) that its own actions alone would not cover.
      if (corpus === 'invictus-aws_dataset') expect(dependent).toBe(81);
    });
  }
});
