/** Event source → IAM prefix, and event-name normalisation (research/mapping.md sections 2, 3.1). */
import prefixData from './data/eventsource-prefix.json';

const EXCEPTIONS: ReadonlyMap<string, string> = new Map(
  Object.entries(prefixData.exceptions as Record<string, { prefix: string }>).map(([k, v]) => [k, v.prefix]),
);

const SUFFIX = '.amazonaws.com';

/** IAM service prefix of a CloudTrail `eventSource` (table, else the source minus `.amazonaws.com`). */
export function prefixOfEventSource(eventSource: string): string {
  const e = EXCEPTIONS.get(eventSource);
  if (e !== undefined) return e;
  return eventSource.endsWith(SUFFIX) ? eventSource.slice(0, -SUFFIX.length) : eventSource;
}

const VERSION_SUFFIX_RE = /(\d{4}_?\d{2}_?\d{2})(v\d+)?$/;

/**
 * Strip API-version suffixes: `GetFunction20150331v2` → `GetFunction`,
 * `CreateDistribution2020_05_31` → `CreateDistribution`. Leaves a name that is only digits alone.
 */
export function normaliseEventName(eventName: string): string {
  const m = VERSION_SUFFIX_RE.exec(eventName);
  if (!m || m.index === 0) return eventName;
  return eventName.slice(0, m.index).replace(/_+$/, '');
}
