/**
 * The audit as SARIF 2.1.0 for GitHub code scanning (docs.github.com, "SARIF support for code
 * scanning", and "SARIF results exceed one or more limits"). One run; `tool.driver` lists the rules
 * from their metadata; each finding is one result. Pure and deterministic: no timestamp, keys
 * sorted, the findings in the audit's canonical order.
 *
 * What GitHub requires and what this does about it:
 * - Every result needs a location with a physical location: an upload whose result has none, or
 *   only a logical one, is rejected whole ("locationFromSarifResult: expected at least one
 *   location" / "expected artifact location"; github/codeql-action#1738,
 *   forcedotcom/code-analyzer#1970). A subject defined in an `--iac` file gets that file and line;
 *   any other one gets a stable repository-relative stand-in path built from its ARN
 *   (`aws/lambda/us-east-1/111122223333/function/NAME`, the way container scanners name an image),
 *   line 1, with a location message saying so. Every result also carries a logical location
 *   (the ARN, kind "resource").
 * - GitHub tracks alerts by `partialFingerprints.primaryLocationLineHash` (it uses no other key),
 *   combined with the path and the rule. With no real line to hash, and to keep an alert when its
 *   IaC line moves, both it and `policyTightenFindingId/v1` are a hash of the finding id.
 * - `security-severity` bands: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low;
 *   0.0 means no security severity, so info rules carry none.
 * - Limits: at most 25,000 results per run (the top 5,000 shown), 10 MB gzip-compressed per file:
 *   this keeps the first 5,000 results (the most severe: the findings are sorted) within about
 *   20 MB of uncompressed JSON, and says so in `run.properties` and an invocation notification.
 */
import { createHash } from 'node:crypto';
import type { AuditFinding, AuditResult, AuditRule, AuditSeverity } from '../audit/types';
import { indexIac, locateSubject, type IacFile } from './audit-iac';
import { renderCanonicalJson } from './json';
import { escapeMarkdownText } from './markdown-escape';

/** The rule metadata SARIF needs (AUDIT_RULES' entries fit). */
export type AuditRuleMeta = Pick<AuditRule, 'id' | 'title' | 'advice' | 'severity' | 'references'>;

export interface AuditSarifOptions {
  /** policy-tighten's version (package.json). */
  version: string;
  rules: readonly AuditRuleMeta[];
  /** The `--iac` files, paths relative to the repository root with forward slashes. */
  iac?: readonly IacFile[];
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/policy-tighten/policy-tighten';
/** GitHub shows the top 5,000 results of a run (and rejects more than 25,000). */
export const SARIF_MAX_RESULTS = 5000;
/** Uncompressed JSON kept under this many characters (GitHub: 10 MB gzip-compressed). */
export const SARIF_MAX_CHARS = 20_000_000;
/** GitHub: at most 1,024 characters for short and full descriptions. */
const MAX_DESCRIPTION = 1024;

export const SECURITY_SEVERITY: Record<AuditSeverity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

const LEVEL: Record<AuditSeverity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A stable hash of a finding id (hex). */
export function findingFingerprint(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 32);
}

/** A repository-relative stand-in path for a resource no IaC file defines, from its ARN. */
export function arnPath(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return `aws/${encodeURIComponent(arn)}`;
  const [, partition, service, region, account, ...resource] = parts;
  const segments = [partition, service, region, account, ...resource.join(':').split(/[/:]/)]
    .filter((s) => s !== '')
    .map((s) => encodeURIComponent(s));
  return segments.join('/');
}

function references(rule: AuditRuleMeta): string[] {
  const r = rule.references ?? {};
  const line = (label: string, ids?: string[]) => (ids && ids.length ? [`${label}: ${ids.join(', ')}`] : []);
  return [
    ...line('Prowler', r.prowler),
    ...line('Security Hub', r.securityHub),
    ...line('Checkov', r.checkov),
  ];
}

function descriptor(rule: AuditRuleMeta): Record<string, unknown> {
  const refs = references(rule);
  const severity = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: cut(rule.title, MAX_DESCRIPTION) },
    fullDescription: { text: cut(rule.advice, MAX_DESCRIPTION) },
    help: {
      text: [rule.advice, ...refs].join('\n\n'),
      markdown: [
        `**${escapeMarkdownText(rule.title)}**`,
        escapeMarkdownText(rule.advice),
        ...refs.map((r) => escapeMarkdownText(r)),
      ].join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'aws', 'lambda'],
      precision: 'high',
      ...(severity !== undefined ? { 'security-severity': severity } : {}),
    },
  };
}

/** A rule a finding names that the metadata lacks (never expected): a minimal descriptor. */
function unknownRule(id: string, severity: AuditSeverity): AuditRuleMeta {
  return { id, title: id, advice: `Rule ${id} (no metadata).`, severity, references: {} };
}

function messageText(f: AuditFinding): string {
  const lines = [f.message];
  if (f.evidence.length) lines.push('', 'Evidence:', ...f.evidence.map((e) => `- ${e}`));
  lines.push('', `Fix: ${f.fix}`);
  return cut(lines.join('\n'), 16_384);
}

/** The audit as a SARIF 2.1.0 log (canonical JSON, trailing newline). */
export function renderAuditSarif(audit: AuditResult, options: AuditSarifOptions): string {
  const metas = new Map<string, AuditRuleMeta>();
  for (const r of options.rules) metas.set(r.id, r);
  for (const f of audit.findings) if (!metas.has(f.rule)) metas.set(f.rule, unknownRule(f.rule, f.severity));
  const rules = [...metas.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const iac = indexIac(options.iac ?? []);

  const results: Record<string, unknown>[] = [];
  let chars = 0;
  let dropped = 0;
  for (const f of audit.findings) {
    if (results.length >= SARIF_MAX_RESULTS) {
      dropped++;
      continue;
    }
    const fingerprint = findingFingerprint(f.id);
    const def = locateSubject(iac, f.subject);
    const physicalLocation = def
      ? {
          artifactLocation: { uri: def.path },
          region: {
            startLine: def.line,
            startColumn: def.column,
            endLine: def.line,
            endColumn: def.endColumn,
          },
        }
      : { artifactLocation: { uri: arnPath(f.subject.arn) }, region: { startLine: 1 } };
    const location = {
      physicalLocation,
      logicalLocations: [{ fullyQualifiedName: f.subject.arn, name: f.subject.name, kind: 'resource' }],
      message: {
        text: def
          ? `${f.subject.kind} ${f.subject.name} (${def.label})`
          : `${f.subject.kind} ${f.subject.name}: defined in no --iac file given; the path stands for its ARN`,
      },
    };
    const result = {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule) ?? 0,
      level: LEVEL[f.severity],
      message: { text: messageText(f) },
      locations: [location],
      partialFingerprints: {
        'policyTightenFindingId/v1': fingerprint,
        primaryLocationLineHash: `${fingerprint.slice(0, 16)}:1`,
      },
      properties: {
        findingId: f.id,
        severity: f.severity,
        basis: f.basis,
        subject: { kind: f.subject.kind, arn: f.subject.arn, name: f.subject.name },
        ...(SECURITY_SEVERITY[f.severity] !== undefined
          ? { 'security-severity': SECURITY_SEVERITY[f.severity] }
          : {}),
      },
    };
    const size = JSON.stringify(result).length;
    if (chars + size > SARIF_MAX_CHARS) {
      dropped++;
      continue;
    }
    chars += size;
    results.push(result);
  }

  const notifications: Record<string, unknown>[] = [];
  for (const s of audit.skipped)
    notifications.push({
      level: 'warning',
      message: { text: `${s.rule} not run: ${s.reason}` },
      descriptor: { id: s.rule },
    });
  for (const p of iac.problems) notifications.push({ level: 'warning', message: { text: `--iac ${p}` } });
  if (audit.partial)
    notifications.push({
      level: 'warning',
      message: {
        text: 'Partial trail input: some input was skipped or not mapped; findings from the trail may miss activity.',
      },
    });
  if (dropped > 0)
    notifications.push({
      level: 'warning',
      message: {
        text: `${dropped} of ${audit.findings.length} findings left out to stay within GitHub's SARIF limits (${SARIF_MAX_RESULTS} results shown per run, 10 MB compressed); the most severe are kept. The JSON output holds them all.`,
      },
    });

  const run = {
    tool: {
      driver: {
        name: 'policy-tighten',
        version: options.version,
        semanticVersion: options.version,
        informationUri: INFORMATION_URI,
        rules: rules.map(descriptor),
      },
    },
    automationDetails: { id: 'policy-tighten/audit/' },
    columnKind: 'utf16CodeUnits',
    invocations: [
      {
        executionSuccessful: true,
        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    results,
    properties: {
      rulesRun: audit.rulesRun,
      rulesNotRun: audit.skipped.map((s) => ({ rule: s.rule, reason: s.reason })),
      counts: audit.counts,
      partial: audit.partial,
      ...(audit.window ? { window: audit.window } : {}),
      ...(dropped > 0 ? { truncated: { kept: results.length, dropped, total: audit.findings.length } } : {}),
    },
  };
  return renderCanonicalJson({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] });
}
