/**
 * The unused-access report (`policy-tighten report --unused`): the JSON contract of docs/report.md
 * and the model every renderer (JSON, Markdown, HTML) draws from. Pure data, sorted, no
 * timestamps beyond the evidence's own.
 */
import type { Finding } from '../model';

/** What the report rests on: the window, what the trail covered, and what it could not show. */
export interface ReportCoverage {
  /** First and last eventTime read in the window (any principal); null when nothing was read. */
  first: string | null;
  last: string | null;
  filesRead: number;
  filesSkipped: number;
  eventsRead: number;
  /** Events attributed to a principal of the account (role sessions, IAM users). */
  attributedEvents: number;
  /** Regions whose events the trail holds, sorted. */
  regions: string[];
  /** Data events per event source (`s3.amazonaws.com` → count): data events are logged for these. */
  dataEvents: Record<string, number>;
  /** Kinds of activity this trail cannot show, one line each (no data events for Lambda Invoke …). */
  notShown: string[];
  /** Input was skipped, damaged or unmapped: unused may mean unseen (see the findings). */
  partial: boolean;
}

/** A role with no activity in the window. */
export interface UnusedRole {
  name: string;
  arn: string;
  /** Last activity known: the last attributed call, else IAM's RoleLastUsed; null when never. */
  lastActivity: string | null;
  /** `orphaned-execution-role`: trusted by lambda.amazonaws.com and used by no function. */
  kind: 'role' | 'orphaned-execution-role';
  reason: string;
  createDate: string | null;
  /** IAM's RoleLastUsed (date, region), when reported. */
  roleLastUsed: { date: string; region: string | null } | null;
}

/** A role or function the report does not judge, and why (too new, recently changed). */
export interface NotJudged {
  name: string;
  arn: string;
  reason: string;
}

/** A function with no evidence of activity in any available signal. */
export interface UnusedFunction {
  name: string;
  arn: string;
  region: string;
  roleArn: string;
  lastActivity: string | null;
  reason: string;
  /**
   * `invocations`: an invocation signal (Lambda Invoke data events, the Invocations metric) was
   * available and shows none; `calls-only`: only its role's calls were available (a function that
   * calls no AWS API looks the same).
   */
  confidence: 'invocations' | 'calls-only';
  /** Signals checked (with what they showed) and signals unavailable for this function. */
  signals: { checked: string[]; unavailable: string[] };
  lastModified: string | null;
}

/** Actions listed per role and list (the counts are always complete). */
export const MAX_LISTED_ACTIONS = 500;

/** Granted but unused permissions of one role. */
export interface RolePermissions {
  name: string;
  arn: string;
  /** Catalog actions granted (wildcards and NotAction expanded), effective (not denied everywhere). */
  granted: number;
  /** Granted actions used in the window (observed, on-behalf, implied, dependent). */
  used: number;
  /** Granted, not used, and visible to this trail. */
  unused: number;
  /** Granted, not used, and of a kind this trail cannot show (data events off): counted apart. */
  unobservable: number;
  /** unused / (granted − unobservable), 0 when nothing observable is granted; 4 decimals. */
  unusedShare: number;
  /**
   * The unused actions, permissions management and write first, then by name; at most
   * MAX_LISTED_ACTIONS (an administrator role grants some 20,000): `unusedByService` counts all.
   */
  unusedActions: string[];
  /** Unused actions per service prefix, all of them. */
  unusedByService: Record<string, number>;
  /** At most MAX_LISTED_ACTIONS, by name. */
  unobservableActions: string[];
  /** Current policies that could not be read: the counts are a lower bound. */
  unknownPolicies: string[];
  /** The role had no attributed call in the window. */
  idle: boolean;
}

/** A function sharing its execution role, and what it used. */
export interface RoleSharer {
  name: string;
  arn: string;
  region: string;
  calls: number;
  lastActivity: string | null;
  /** Actions its own sessions called, sorted. */
  actions: string[];
}

/** An execution role used by several functions (any region: IAM roles are global). */
export interface SharedRole {
  name: string;
  arn: string;
  functions: RoleSharer[];
}

/** Attributed calls per UTC day of the window (every day of the window listed, zeros included). */
export interface ActivityDay {
  day: string;
  calls: number;
}

export interface UnusedReport {
  /** Version of this JSON contract. */
  schemaVersion: 1;
  accounts: string[];
  window: { since: string; until: string; days: number };
  summary: {
    roles: number;
    unusedRoles: number;
    functions: number;
    unusedFunctions: number;
    rolesNotJudged: number;
    functionsNotJudged: number;
    sharedRoles: number;
    grantedActions: number;
    unusedActions: number;
    unobservableActions: number;
  };
  coverage: ReportCoverage;
  unusedRoles: UnusedRole[];
  rolesNotJudged: NotJudged[];
  unusedFunctions: UnusedFunction[];
  functionsNotJudged: NotJudged[];
  /** Per role, biggest unused share first. */
  unusedPermissions: RolePermissions[];
  sharedRoles: SharedRole[];
  activity: ActivityDay[];
  findings: Finding[];
}
