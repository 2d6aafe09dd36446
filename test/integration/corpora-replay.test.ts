import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runGenerate } from '../../src/pipeline/run-generate';
import { loadCatalog } from '../../src/catalog/catalog';
import { unescapeIamLiteral } from '../../src/analyze/validate';
import { CORPORA, describeWithCorpora } from '../helpers/corpora';
import { simulate } from '../property/simulate';
import { replayRecords } from '../helpers/replay';

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

function records(dir: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of files(dir).filter((x) => /\.json(\.gz)?$/.test(x))) {
    try {
      const raw = readFileSync(f);
      const text = (raw[0] === 0x1f ? gunzipSync(raw) : raw).toString('utf8');
      out.push(...((JSON.parse(text) as { Records?: Record<string, unknown>[] }).Records ?? []));
    } catch {
      continue;
    }
  }
  return out;
}

/** The principal a successful record belongs to: its role, or its IAM user. */
function principalOf(r: Record<string, unknown>): string | undefined {
  const id = r.userIdentity as Record<string, unknown> | undefined;
  if (!id || r.errorCode) return undefined;
  const issuer = (id.sessionContext as { sessionIssuer?: { arn?: string; type?: string } } | undefined)
    ?.sessionIssuer;
  if (id.type === 'AssumedRole' && issuer?.type === 'Role' && typeof issuer.arn === 'string')
    return issuer.arn;
  if (id.type === 'IAMUser' && typeof id.arn === 'string') return id.arn;
  return undefined;
}

describeWithCorpora('replay of the corpora through iam-simulate (never break a successful call)', () => {
  for (const corpus of TRAILS) {
    const dir = path.join(CORPORA, corpus);
    it(`${corpus}: every permission of every successful call is allowed by its principal's policy`, async () => {
      const catalog = await loadCatalog();
      const byPrincipal = new Map<string, Record<string, unknown>[]>();
      for (const r of records(dir)) {
        const p = principalOf(r);
        if (p) byPrincipal.set(p, [...(byPrincipal.get(p) ?? []), r]);
      }
      const denied: string[] = [];
      let checked = 0;
      let withContext = 0;
      let dependent = 0;
      for (const principal of [...byPrincipal.keys()].sort()) {
        const result = await runGenerate({ principal, trails: [dir], window: {}, catalog });
        dependent += Object.values(result.usage.entries).filter((e) =>
          e.origins.includes('dependent'),
        ).length;
        // Every successful call, with the request context AWS evaluates (derived from the record).
        const replay = await replayRecords(
          byPrincipal.get(principal) ?? [],
          result.policies,
          result.usage,
          catalog,
        );
        checked += replay.checked;
        withContext += replay.withContext;
        denied.push(...replay.denied.map((d) => `${principal}: ${d}`));
        // What no event shows (implied by configuration): asked for without any context.
        for (const e of Object.values(result.usage.entries).filter((x) => x.count === 0)) {
          checked++;
          const decision = await simulate(result.policies, e.action, unescapeIamLiteral(e.resource));
          if (decision !== 'Allowed') denied.push(`${principal}: ${e.action} on ${e.resource}: ${decision}`);
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(denied).toEqual([]);
      // The IAM user of the Invictus trail reads secrets: Secrets Manager decrypts on its behalf.
      if (corpus === 'invictus-aws_dataset') expect(withContext).toBeGreaterThan(0);
      // The Terraform user of the Invictus trail tags on create and passes roles: 81 dependent
      // permissions (118 calls) that its own actions alone would not cover.
      if (corpus === 'invictus-aws_dataset') expect(dependent).toBe(81);
    });
  }
});
