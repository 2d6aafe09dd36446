/**
 * Suppressions (cdk-nag style): a user acknowledges a finding with a reason. Pure.
 *
 * A suppression id is a finding id, `CODE[detail]`, matched exactly, or with `*` wildcards in
 * the detail only (`PT-WILDCARD-RESOURCE[xray:*]`, `PT-COMPACTED[*]`): the code itself is always
 * spelled out, so a suppression can never silence a whole class of findings by accident.
 * A matching finding is kept and marked `suppressed: { reason }`; reports echo the reason. A
 * suppression never clears lost input (PARTIAL_CODES): the result stays partial (exit code 3).
 * A suppression that matches no finding is reported as `PT-UNUSED-SUPPRESSION[<id>]`.
 */
import { PARTIAL_CODES, type Finding } from '../model';

/** One acknowledged finding. */
export interface Suppression {
  /** Finding id, `CODE[detail]`; `*` in the detail matches any run of characters. */
  id: string;
  /** Why it is acceptable; required, echoed in reports. */
  reason: string;
}

/** The configuration file (`policy-tighten.json`, docs/generation.md#suppressions). */
export interface PolicyTightenConfig {
  suppressions: Suppression[];
}

/** `CODE[detail]`: upper-case code, a bracketed non-empty detail. */
export const SUPPRESSION_ID_RE = /^PT-[A-Z0-9]+(?:-[A-Z0-9]+)*\[.+\]$/;

/** Why a suppression is invalid, or undefined when it is fine. */
export function suppressionProblem(s: { id?: unknown; reason?: unknown }): string | undefined {
  if (typeof s.id !== 'string' || s.id === '')
    return 'needs an "id" (a finding id such as PT-WILDCARD-RESOURCE[xray:PutTraceSegments])';
  if (!SUPPRESSION_ID_RE.test(s.id))
    return `"id" ${JSON.stringify(s.id)} is not a finding id of the form CODE[detail]`;
  if (typeof s.reason !== 'string' || s.reason.trim() === '') return `${s.id} needs a non-empty "reason"`;
  return undefined;
}

function matcher(id: string): (findingId: string) => boolean {
  if (!id.includes('*')) return (f) => f === id;
  const open = id.indexOf('[');
  const code = id.slice(0, open + 1);
  const detail = id
    .slice(open + 1, -1)
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  const re = new RegExp(`^${detail}$`, 's');
  return (f) => f.startsWith(code) && f.endsWith(']') && re.test(f.slice(code.length, -1));
}

/** Does suppression id `id` match finding id `findingId`? */
export function suppressionMatches(id: string, findingId: string): boolean {
  return matcher(id)(findingId);
}

/**
 * Marks the findings that a suppression matches (the first matching suppression in file order
 * gives the reason). Returns new finding objects; the input is not changed. Findings stay in
 * the output, in the same order.
 * @throws Error when a suppression is invalid (loadConfig rejects those earlier).
 */
export function applySuppressions(findings: readonly Finding[], config: PolicyTightenConfig): Finding[] {
  const rules = config.suppressions.map((s) => {
    const problem = suppressionProblem(s);
    if (problem) throw new Error(`invalid suppression: ${problem}`);
    return { match: matcher(s.id), reason: s.reason.trim() };
  });
  return findings.map((f) => {
    const rule = rules.find((r) => r.match(f.id));
    return rule ? { ...f, suppressed: { reason: rule.reason } } : f;
  });
}

/** Suppressions that matched no finding: stale entries a user may want to remove. */
export function unusedSuppressions(findings: readonly Finding[], config: PolicyTightenConfig): Suppression[] {
  return config.suppressions.filter((s) => !findings.some((f) => suppressionMatches(s.id, f.id)));
}

/**
 * A `PT-UNUSED-SUPPRESSION[<suppression id>]` finding (info) per suppression that matched no
 * finding, in file order (a suppression listed twice is reported once). These findings are not
 * themselves suppressible: a suppression of them would match nothing else, and be unused too.
 */
export function unusedSuppressionFindings(
  findings: readonly Finding[],
  config: PolicyTightenConfig,
): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const s of unusedSuppressions(findings, config)) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    out.push({
      id: `PT-UNUSED-SUPPRESSION[${s.id}]`,
      code: 'PT-UNUSED-SUPPRESSION',
      severity: 'info',
      message: `the suppression ${s.id} of the config file matched no finding: remove it, or correct its id`,
      count: 1,
      sampleEventIds: [],
    });
  }
  return out;
}

/**
 * Whether the findings make the result partial (exit code 3): any finding of PARTIAL_CODES,
 * suppressed or not. A suppression marks lost input; it cannot bring back what was not read.
 */
export function isPartial(findings: readonly Finding[]): boolean {
  return findings.some((f) => PARTIAL_CODES.has(f.code));
}

/**
 * Suppressed findings that are about lost input (PARTIAL_CODES): they stay marked, but the
 * result stays partial (exit code 3), because a suppression cannot bring back what was not read.
 */
export function suppressedLostInput(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.suppressed !== undefined && PARTIAL_CODES.has(f.code));
}
