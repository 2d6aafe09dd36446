/**
 * Findings as people read them, and as `--findings-out` writes them. Pure.
 *
 * Listing order (docs/findings.md): by severity (error, warning, info, then suppressed), then by
 * count, largest first, then by id. Many findings of one code about single files (a trail of
 * thousands of empty files) are listed as one group with the total and sample files, so that the
 * finding that matters (`PT-NO-EVENTS`) is not buried under them; every finding stays in the
 * JSON outputs and in `--findings-out`, one by one.
 */
import { compareFindings, PARTIAL_CODES, type Finding, type FindingCode, type Severity } from '../model';
import { renderCanonicalJson } from './json';

/** Per-file findings of one code listed one by one up to this many; more become one group. */
export const GROUP_FILES_OVER = 3;

/** Sample files named in a group's line. */
export const GROUP_SAMPLES = 3;

/** One line of a findings listing: a finding, or a group of per-file findings of one code. */
export interface FindingsListItem {
  /** The finding's id, or `CODE[<n> files]` for a group (not a finding id: a suppression names files). */
  id: string;
  code: FindingCode;
  severity: Severity;
  /** Occurrences (a group: the total over its findings). */
  count: number;
  /** The finding's message; for a group, one that states the group's totals. */
  message: string;
  suppressed?: { reason: string };
  /** For a group: how many findings it stands for, and the first few files. */
  group?: { findings: number; files: string[] };
}

/** Findings in listing order (see the file header); a new array. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/**
 * The findings as listed: per-file findings of one code, severity and suppression grouped when
 * there are more than {@link GROUP_FILES_OVER} of them, then everything in listing order.
 */
export function findingsListing(findings: readonly Finding[]): FindingsListItem[] {
  const groups = new Map<string, Finding[]>();
  const keyOf = (f: Finding) => `${f.code}\u0000${f.severity}\u0000${f.suppressed?.reason ?? ''}`;
  for (const f of findings) {
    if (f.file === undefined) continue;
    const k = keyOf(f);
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  const items: FindingsListItem[] = [];
  for (const f of findings) {
    const group = f.file !== undefined ? groups.get(keyOf(f)) : undefined;
    if (!group || group.length <= GROUP_FILES_OVER) {
      items.push({
        id: f.id,
        code: f.code,
        severity: f.severity,
        count: f.count,
        message: f.message,
        ...(f.suppressed ? { suppressed: f.suppressed } : {}),
      });
      continue;
    }
    if (group[0] !== f) continue;
    const sorted = [...group].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const files = sorted.map((g) => g.file as string);
    const total = sorted.reduce((n, g) => n + g.count, 0);
    const reasons = new Set(sorted.map((g) => g.message));
    const n = (x: number) => x.toLocaleString('en-US');
    const samples = files.slice(0, GROUP_SAMPLES).join(', ');
    const more = files.length > GROUP_SAMPLES ? ', …' : '';
    // Totals of the group only; the one message when all agree, else how many reasons there are.
    const message =
      reasons.size === 1
        ? `${sorted[0].message} (${n(sorted.length)} files; e.g. ${samples}${more})`
        : `${n(sorted.length)} files, ${n(reasons.size)} distinct reasons (e.g. ${samples}${more})`;
    items.push({
      id: `${f.code}[${n(sorted.length)} files]`,
      code: f.code,
      severity: f.severity,
      count: total,
      message,
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
      group: { findings: sorted.length, files: files.slice(0, GROUP_SAMPLES) },
    });
  }
  return items.sort(compareFindings);
}

/**
 * `--findings-out`: every finding, one by one, as canonical JSON (keys sorted), in listing
 * order, with the counts by severity and whether lost input makes the result partial.
 */
export function renderFindingsJson(findings: readonly Finding[]): string {
  const sorted = sortFindings(findings);
  const counts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const f of sorted) {
    if (f.suppressed) counts.suppressed++;
    else counts[f.severity]++;
  }
  return renderCanonicalJson({
    total: sorted.length,
    counts,
    lostInput: sorted.filter((f) => PARTIAL_CODES.has(f.code)).length,
    findings: sorted,
  });
}
