import type { Mapper } from '../analyze';
import { attribute, lambdaSessionOf, needlesOf, sessionRole, type Target } from '../attribution';
import {
  canonicalKeyValid,
  isEventSource,
  normalisedWindowTest,
  normaliseTime,
  parseRecord,
  readTraceFile,
  type ByteSource,
  type Prefilter,
  type RecordSink,
  type ScannedRecord,
  type TimeWindow,
  windowKeys,
} from '../ingest';
import {
  weightOf,
  type Finding,
  type MappingResult,
  type RequiredPermission,
  type TrailEvent,
  type UsageAggregate,
} from '../model';
import {
  addCoverage,
  addCorrelation,
  addDenied,
  addFinding,
  addPermission,
  addRoleSession,
  emptyAggregate,
} from '../usage';

/** Everything a file's processing needs; serialisable apart from the mapper, so workers can rebuild it. */
export interface ProcessContext {
  target: Target;
  window: TimeWindow;
  mapper: Mapper;
  /** Files up to this size are parsed whole; larger ones are stream-parsed. */
  maxBufferedBytes?: number;
  /** Bytes read of a streamed file (progress in this thread only; workers report files). */
  onBytes?: (read: number, size: number) => void;
}

/** Error codes that mean "not authorised" (the call was denied), as opposed to other failures. */
const DENIED = /AccessDenied|Unauthorized|NotAuthorized|Forbidden|AuthorizationError|AuthFailure/i;

/** Is this error code a denial? */
export function isDenied(errorCode: string): boolean {
  return DENIED.test(errorCode);
}

/** A finding about one trace file (its id names the file). */
export function fileFinding(file: string, code: Finding['code'], message: string, count = 1): Finding {
  return { id: `${code}[${file}]`, code, severity: 'warning', message, count, sampleEventIds: [], file };
}

/**
 * Counts one parsed event into `agg`: the window's coverage, data-event sources, role sessions
 * and Lambda's own session starts, each by the calls the event stands for (a grouped row counts
 * as many). Returns false for an event outside the window (counted as such).
 */
export function observeEvent(agg: UsageAggregate, event: TrailEvent, window: TimeWindow): boolean {
  const { stats } = agg;
  const calls = weightOf(event);
  const first = event.observed?.firstSeen ?? event.eventTime;
  const last = event.observed?.lastSeen ?? event.eventTime;
  // Both times are normalised (parseRecord, or the row's observation).
  const inside = normalisedWindowTest(window);
  if (!inside(first) || !(last === first || inside(last))) {
    stats.eventsOutsideWindow += calls;
    return false;
  }
  addCoverage(agg, first);
  if (last !== first) addCoverage(agg, last);
  if (event.eventCategory === 'Data' || event.managementEvent === false) {
    agg.dataEventSources[event.eventSource] = (agg.dataEventSources[event.eventSource] ?? 0) + calls;
  }
  const session = event.identity.sessionName;
  if (session && event.identity.type === 'AssumedRole' && event.identity.issuerArn) {
    addRoleSession(agg, event.identity.issuerArn, session, calls);
  }
  const started = lambdaSessionOf(event);
  if (started) {
    const sessions = (agg.lambdaSessions[started.roleArn] ??= {});
    sessions[started.session] = (sessions[started.session] ?? 0) + calls;
  }
  return true;
}

/**
 * One file's reading for scanFile: the sink of its records and, for one principal, the prefilter
 * that counts the records that cannot be its. A class, not closures made per file: the methods
 * are then the same functions at every file, and V8 keeps them optimised (docs/performance.md).
 */
class FileReading implements RecordSink, Prefilter {
  readonly kept: TrailEvent[] = [];
  malformedCount = 0;
  malformedReason: string | undefined = undefined;
  private readonly inside: (time: string) => boolean;
  /** The window's bounds as time keys (undefined: a bound's year is not four digits; test the text). */
  private readonly keys: { since: number; until: number } | undefined;
  /** The time keys this reading added to the coverage, from the earliest to the latest. */
  private coveredFrom = Infinity;
  private coveredTo = -Infinity;
  private lastSource: string | undefined = undefined;

  constructor(
    private readonly agg: UsageAggregate,
    private readonly window: TimeWindow,
    private readonly select: (event: TrailEvent) => boolean,
    readonly needles: readonly string[],
  ) {
    this.inside = normalisedWindowTest(window);
    this.keys = windowKeys(window);
  }

  record(raw: unknown): void {
    this.agg.stats.eventsRead++;
    const parsed = parseRecord(raw);
    if (!parsed.ok) {
      this.malformedCount++;
      this.malformedReason ??= parsed.reason;
      return;
    }
    const event = parsed.event;
    if (!observeEvent(this.agg, event, this.window)) return;
    if (this.select(event)) this.kept.push(event);
  }

  malformed(reason: string): void {
    this.agg.stats.eventsRead++;
    this.malformedCount++;
    this.malformedReason ??= reason;
  }

  skipped(r: ScannedRecord): void {
    const { agg } = this;
    agg.stats.eventsRead++;
    // A canonical time given as a number (the WebAssembly scanner) is judged without its text:
    // valid as normaliseTime would find it, inside the window by the bounds as numbers, and
    // already covered when it lies within the times this file has added to the coverage.
    const key = this.keys ? r.timeKey : undefined;
    const time =
      key !== undefined ? (canonicalKeyValid(key) ? key : undefined) : normaliseTime(r.eventTime ?? '');
    const source = r.eventSource ?? '';
    if (time === undefined || (source !== this.lastSource && !isEventSource(source))) {
      this.malformedCount++;
      this.malformedReason ??=
        time !== undefined ? 'eventSource has invalid characters' : 'eventTime unparseable';
      return;
    }
    this.lastSource = source;
    if (typeof time === 'number') {
      const keys = this.keys!;
      if (!(time >= keys.since && time < keys.until)) {
        agg.stats.eventsOutsideWindow++;
        return;
      }
      if (time < this.coveredFrom || time > this.coveredTo) {
        addCoverage(agg, r.eventTime!);
        if (time < this.coveredFrom) this.coveredFrom = time;
        if (time > this.coveredTo) this.coveredTo = time;
      }
    } else {
      if (!this.inside(time)) {
        agg.stats.eventsOutsideWindow++;
        return;
      }
      addCoverage(agg, time);
    }
    if (r.eventCategory === 'Data' || r.managementEvent === false)
      agg.dataEventSources[source] = (agg.dataEventSources[source] ?? 0) + 1;
  }
}

/**
 * Reads one trace file into `agg`: counts every record, keeps the window's coverage, data-event
 * sources, role sessions and Lambda's own session starts, and returns the events `select` keeps
 * (only those stay in memory, as parsed). File problems and malformed records become findings.
 * The reading half shared by one target's pass (processFile) and the account's (processAccountFile).
 */
export async function scanFile(
  path: string | ByteSource,
  agg: UsageAggregate,
  window: TimeWindow,
  select: (event: TrailEvent) => boolean,
  maxBufferedBytes?: number,
  needles?: readonly string[],
  onBytes?: (read: number, size: number) => void,
): Promise<TrailEvent[]> {
  const { stats } = agg;
  const reading = new FileReading(agg, window, select, needles ?? []);
  const outcome = await readTraceFile(path, reading, {
    ...(maxBufferedBytes !== undefined ? { maxBufferedBytes } : {}),
    // For one principal, the records that cannot be its are counted for the window's coverage
    // and data events, unparsed (read-file.ts, Prefilter).
    ...(needles ? { prefilter: reading } : {}),
    ...(onBytes ? { onBytes } : {}),
  });
  const { kept, malformedCount: malformed, malformedReason } = reading;

  const name = typeof path === 'string' ? path : path.name;
  if (outcome.problem) {
    const p = outcome.problem;
    if (outcome.records === 0) stats.filesSkipped++;
    else stats.filesRead++;
    const partial = outcome.records > 0 ? ` (${outcome.records} events before the damage were used)` : '';
    addFinding(agg, fileFinding(name, p.code, `${p.reason}${partial}`));
  } else {
    stats.filesRead++;
  }
  if (malformed > 0) {
    stats.malformedEvents += malformed;
    addFinding(
      agg,
      fileFinding(
        name,
        'PT-MALFORMED-EVENT',
        `${malformed} malformed event(s) skipped, e.g. ${malformedReason}`,
        malformed,
      ),
    );
  }
  return kept;
}

/** The event ids an event stands for. */
function samplesOf(event: TrailEvent): string[] {
  return event.observed ? event.observed.sampleEventIds : [event.eventId];
}

/** A finding about one event, counted for every call a grouped row stands for. */
function weighted(f: Finding, event: TrailEvent): Finding {
  if (!event.observed) return f;
  return { ...f, count: f.count * event.observed.count, sampleEventIds: samplesOf(event) };
}

/**
 * Maps one attributed event into `agg`: successful calls become permissions, denied ones denied
 * entries, other failures, unmapped and rejected events findings. Returns the mapping result of
 * a successful call (undefined for a failed one).
 */
export async function recordCall(
  agg: UsageAggregate,
  event: TrailEvent,
  mapper: Mapper,
): Promise<MappingResult | undefined> {
  const loading = mapper.prepare(event);
  if (loading) await loading;
  return recordPrepared(agg, event, mapper);
}

/**
 * How much of a permission a pass keeps: its resource (`generate`), or only its action (the
 * account pass of `report --unused`, which judges actions and regions, not resources: memory then
 * grows with principals × actions, not with every object key a trail names).
 */
export type Detail = 'resource' | 'action';

/** A permission reduced to its action (Detail `action`): resource `*`, nothing else kept. */
function actionLevel(p: RequiredPermission): RequiredPermission {
  return { action: p.action, resource: '*', origin: p.origin };
}

/**
 * Records `event` as it is read when the mapper holds its service (`record`), so that memory
 * stays flat in a file of any size; returns true when it must be kept for recordCall after the
 * file instead (the first event of a service not loaded yet, whose loading starts now).
 */
export function recordNowOrKeep(event: TrailEvent, mapper: Mapper, record: () => void): boolean {
  const loading = mapper.prepare(event);
  if (loading) {
    // Awaited again by recordCall once the file is read; a failure is reported there.
    loading.catch(() => undefined);
    return true;
  }
  record();
  return false;
}

/**
 * recordCall once the mapper holds the event's service (`mapper.prepare(event)` returned
 * nothing): synchronous, so that a file's events are recorded as they are read and only the
 * first event of a service not loaded yet waits (memory stays flat in a file of any size).
 */
export function recordPrepared(
  agg: UsageAggregate,
  event: TrailEvent,
  mapper: Mapper,
  detail: Detail = 'resource',
): MappingResult | undefined {
  const { stats } = agg;
  const calls = weightOf(event);
  stats.attributed += calls;
  const role = sessionRole(event);
  const roleKey = role?.arn ?? role?.name ?? event.identity.arn ?? '?';
  agg.attributedRoles[roleKey] = (agg.attributedRoles[roleKey] ?? 0) + calls;
  const result = mapper.map(event);
  if (event.errorCode) {
    stats.excludedFailed += calls;
    const denied = isDenied(event.errorCode);
    if (denied) stats.denied += calls;
    if (denied && result.kind === 'mapped') {
      for (const p of result.permissions) addDenied(agg, detail === 'action' ? actionLevel(p) : p, event);
    } else if (!denied) {
      const code = event.errorCode.slice(0, 64).replace(/[^A-Za-z0-9._:-]/g, '_');
      addFinding(agg, {
        id: `PT-FAILED-CALL[${code}]`,
        code: 'PT-FAILED-CALL',
        severity: 'info',
        message: `calls that failed with ${code} are not evidence of need and were excluded`,
        count: calls,
        sampleEventIds: samplesOf(event),
      });
    }
    return undefined;
  }
  switch (result.kind) {
    case 'mapped':
      stats.mapped += calls;
      for (const p of result.permissions) addPermission(agg, detail === 'action' ? actionLevel(p) : p, event);
      for (const f of result.findings) addFinding(agg, weighted(f, event));
      if (detail === 'resource') for (const c of result.provides ?? []) addCorrelation(agg, c);
      break;
    case 'no-permission':
      stats.noPermissionNeeded += calls;
      break;
    case 'unmapped':
      stats.unmapped += calls;
      addFinding(agg, weighted(result.finding, event));
      break;
    case 'rejected':
      stats.rejected += calls;
      addFinding(agg, weighted(result.finding, event));
      break;
  }
  return result;
}

/**
 * Reads one trace file and returns its usage aggregate for the target: the unit of work that
 * parallel workers will share out; aggregates of any set of files merge with mergeAggregate.
 * Only the target's events are kept in memory (as parsed), the rest are counted and dropped.
 */
export async function processFile(path: string | ByteSource, ctx: ProcessContext): Promise<UsageAggregate> {
  const agg = emptyAggregate();
  const kept = await scanFile(
    path,
    agg,
    ctx.window,
    (event) => {
      const who = attribute(event, ctx.target);
      if (who === 'other-function') agg.stats.otherFunctionEvents++;
      return (
        who === 'match' && recordNowOrKeep(event, ctx.mapper, () => recordPrepared(agg, event, ctx.mapper))
      );
    },
    ctx.maxBufferedBytes,
    needlesOf(ctx.target),
    ctx.onBytes,
  );
  for (const event of kept) await recordCall(agg, event, ctx.mapper);
  return agg;
}
