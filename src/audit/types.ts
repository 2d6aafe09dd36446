/**
 * The Lambda audit (`policy-tighten audit`, docs/audit.md): AWS's Lambda security advice checked
 * from the account's configuration and, when a trail is given, from what the functions did. Each
 * check is one rule file in src/audit/rules whose name is its rule id. Pure data.
 */
import type { Catalog } from '../catalog';
import type { AccountAggregate, AccountState } from '../model';
import type { UnusedReport } from '../report';
import type { SecretDetector } from './secrets/types';

/** Severities as SARIF's `security-severity` bands read them (critical ≥ 9, high ≥ 7, medium ≥ 4). */
export type AuditSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Most severe first (the listing order, and `--fail-on`'s scale). */
export const AUDIT_SEVERITIES: readonly AuditSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** What a finding is about: an IAM role, a Lambda function, a secret, or another principal. */
export interface AuditSubject {
  kind: 'function' | 'role' | 'secret' | 'principal' | 'account';
  /** Its ARN (the account id for `account`). */
  arn: string;
  name: string;
  region?: string;
}

/** One breach of the advice, with what it rests on and how to fix it. Never holds a secret value. */
export interface AuditFinding {
  /** `RULE[subject]`: stable across runs (SARIF fingerprints and suppressions rest on it). */
  id: string;
  /** The rule id, e.g. `PT-AUDIT-SHARED-ROLE`. */
  rule: string;
  severity: AuditSeverity;
  subject: AuditSubject;
  /** One line: what is wrong. */
  message: string;
  /** The facts it rests on, one line each (configuration, trail counts, dates). */
  evidence: string[];
  /** What to do, often a `policy-tighten generate` command. */
  fix: string;
  /** Where the evidence comes from. */
  basis: 'configuration' | 'trail' | 'configuration and trail';
}

/** Optional parts of the account state a rule needs; a rule whose part is absent is not run. */
export type AuditNeed = 'trail' | 'function-policies' | 'function-urls' | 'secrets';

/** Cross-references to the scanners that check the same advice (docs/audit.md). */
export interface AuditReferences {
  prowler?: string[];
  securityHub?: string[];
  checkov?: string[];
}

/** The input of every rule. */
export interface AuditInput {
  state: AccountState;
  /** The trail's account-wide usage (the report's account pass), when a trail was given. */
  usage?: AccountAggregate;
  /** The unused-access report over the same trail, when a trail was given. */
  report?: UnusedReport;
  /** The window the trail was read for. */
  window?: { since: string; until: string };
  /** The IAM catalog, with the services of every current policy loaded. */
  catalog: Catalog;
  /** Today, for dated checks (runtime end of support). */
  now: Date;
  /**
   * The maintained secret detector PT-AUDIT-ENV-SECRET runs beside its own rules
   * (src/audit/secrets). Absent: secretlint's recommended preset, loaded once per process by a
   * dynamic import (Jest cannot load it: unit tests give a stand-in here).
   */
  secretDetector?: SecretDetector;
}

/** One check: its metadata (docs/audit.md, SARIF rules) and its pure check. */
export interface AuditRule {
  id: string;
  /** Short title (SARIF `shortDescription`). */
  title: string;
  /** The AWS advice it enforces, with its source (SARIF `fullDescription`, docs). */
  advice: string;
  /** Severity of its findings unless a finding says otherwise. */
  severity: AuditSeverity;
  needs: readonly AuditNeed[];
  references: AuditReferences;
  /** Pure apart from being asynchronous (a secret detector may load its rules lazily). */
  check(input: AuditInput): AuditFinding[] | Promise<AuditFinding[]>;
}

/** A rule that did not run, and why (the part of the state it needs is absent). */
export interface SkippedRule {
  rule: string;
  reason: string;
}

/** The audit's result: the JSON contract of docs/audit.md. Sorted, canonical, no timestamps. */
export interface AuditResult {
  /** The rules that ran, by id. */
  rulesRun: string[];
  skipped: SkippedRule[];
  findings: AuditFinding[];
  counts: Record<AuditSeverity, number>;
  /** The trail's window, when one was read. */
  window?: { since: string; until: string };
  /** The trail read was partial (skipped input): findings from the trail may miss activity. */
  partial: boolean;
}
