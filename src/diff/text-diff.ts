/**
 * The unified text diff of the canonical current documents against the proposal (the `diff`
 * package), so that a reviewer sees the change as it would look in a repository. Pure.
 */
import { createTwoFilesPatch } from 'diff';
import { policyDisplayName } from '../account/current-policies';
import type { CurrentPolicies, PolicyDocument } from '../model';
import { renderPolicyJson } from '../render/json';

function section(name: string, doc: unknown): string {
  return `// ${name}\n${renderPolicyJson(doc as PolicyDocument)}`;
}

/**
 * `--- current` / `+++ proposed` over the documents in canonical JSON, each headed by its name
 * (`// inline:NAME`, `// AmazonDynamoDBFullAccess (v24)`, `// orders-api-least-privilege`).
 */
export function textDiff(
  current: CurrentPolicies,
  proposal: readonly PolicyDocument[],
  proposalNames: readonly string[],
): string {
  const before = current.identity
    .map((p) =>
      section(`${policyDisplayName(p)}${p.ref.versionId ? ` (${p.ref.versionId})` : ''}`, p.document),
    )
    .join('');
  const after = proposal.map((d, i) => section(proposalNames[i] ?? `policy-${i + 1}`, d)).join('');
  return createTwoFilesPatch('current', 'proposed', before, after, undefined, undefined, { context: 3 });
}
