/**
 * The rows of a query source (Athena, CloudWatch Logs Insights) into a usage aggregate: each
 * grouped row is parsed like a trail file's record and counted for every call it stands for, so
 * the policy from the rows is the policy from the files. A damaged row is a malformed event; a
 * failed query a skipped input: the result is then partial, never smaller.
 */
import { attribute } from '../attribution';
import { normaliseTime, parseRecord } from '../ingest';
import type { TimeWindow } from '../ingest';
import {
  weightOf,
  type AccountAggregate,
  type Observation,
  type TrailEvent,
  type UsageAggregate,
} from '../model';
import type { QueryResult } from '../sources';
import { addCoverage, addFinding, emptyAccountAggregate, emptyAggregate, mergeSamples } from '../usage';
import { isAccountEvent, recordAccountEvent } from './account-event';
import type { AccountContext } from './collect-account';
import { fileFinding, observeEvent, recordCall, type ProcessContext } from './process-file';

/** Calls one row may stand for: more is a damaged count. */
const MAX_ROW_CALLS = 1e12;

/** The observation of a row, or a reason (naming no value) why it is damaged. */
function observationOf(row: QueryResult['records'][number]): Observation | string {
  if (!Number.isSafeInteger(row.count) || row.count < 1 || row.count > MAX_ROW_CALLS)
    return 'row count is not a positive integer';
  const first = normaliseTime(String(row.firstSeen ?? ''));
  const last = normaliseTime(String(row.lastSeen ?? ''));
  if (!first || !last || last < first) return 'row first/last seen missing or out of order';
  const ids = (Array.isArray(row.sampleEventIds) ? row.sampleEventIds : []).filter(
    (id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 256,
  );
  return { count: row.count, firstSeen: first, lastSeen: last, sampleEventIds: mergeSamples([], ids) };
}

/**
 * Reads a query source's rows into `agg` (counters, coverage, data events, sessions, problems,
 * malformed rows) and returns the events `select` keeps: the reading half shared by one
 * target's pass and the account's.
 */
function readRows(
  result: QueryResult,
  agg: UsageAggregate,
  window: TimeWindow,
  select: (event: TrailEvent) => boolean,
): TrailEvent[] {
  const { stats } = agg;
  let malformed = 0;
  let malformedReason: string | undefined;
  const kept: TrailEvent[] = [];
  for (const row of result.records) {
    const observed = observationOf(row);
    const calls = typeof observed === 'string' ? 1 : observed.count;
    stats.eventsRead += calls;
    const parsed =
      typeof observed === 'string' ? { ok: false as const, reason: observed } : parseRecord(row.record);
    if (!parsed.ok) {
      malformed += calls;
      malformedReason ??= parsed.reason;
      continue;
    }
    const event: TrailEvent = {
      ...parsed.event,
      eventTime: (observed as Observation).firstSeen,
      eventId: (observed as Observation).sampleEventIds[0] ?? parsed.event.eventId,
      observed: observed as Observation,
    };
    if (!observeEvent(agg, event, window)) continue;
    if (select(event)) kept.push(event);
  }
  for (const other of result.others) {
    const first = normaliseTime(String(other.firstSeen ?? ''));
    const last = normaliseTime(String(other.lastSeen ?? ''));
    if (!Number.isSafeInteger(other.count) || other.count < 1 || !first || !last) continue;
    stats.eventsRead += other.count;
    addCoverage(agg, first);
    addCoverage(agg, last);
    if (other.eventCategory === 'Data')
      agg.dataEventSources[other.eventSource] = (agg.dataEventSources[other.eventSource] ?? 0) + other.count;
  }
  if (result.problems.length === 0) stats.filesRead++;
  for (const p of result.problems) {
    stats.filesSkipped++;
    addFinding(agg, fileFinding(p.file, p.code, p.reason));
  }
  if (malformed > 0) {
    stats.malformedEvents += malformed;
    addFinding(
      agg,
      fileFinding(
        result.name,
        'PT-MALFORMED-EVENT',
        `${malformed} malformed event(s) skipped, e.g. ${malformedReason}`,
        malformed,
      ),
    );
  }
  return kept;
}

/** Maps a query source's rows for the target into a fresh aggregate. */
export async function processQueryResult(result: QueryResult, ctx: ProcessContext): Promise<UsageAggregate> {
  const agg = emptyAggregate();
  const kept = readRows(result, agg, ctx.window, (event) => {
    const who = attribute(event, ctx.target);
    if (who === 'other-function') agg.stats.otherFunctionEvents += weightOf(event);
    return who === 'match';
  });
  for (const event of kept) await recordCall(agg, event, ctx.mapper);
  return agg;
}

/** Maps a query source's rows of every principal (the account-wide report) into a fresh aggregate. */
export async function processAccountQueryResult(
  result: QueryResult,
  ctx: AccountContext,
): Promise<AccountAggregate> {
  const agg = emptyAccountAggregate();
  const kept = readRows(result, agg.base, ctx.window, isAccountEvent);
  for (const event of kept) await recordAccountEvent(agg, event, ctx.mapper);
  return agg;
}
