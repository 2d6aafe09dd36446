/**
 * One kept event of the account-wide pass, shared by trail files (collect-account.ts) and query
 * rows (process-rows.ts).
 */
import type { Mapper } from '../analyze';
import { invokedFunctionOf, principalKeyOf } from '../attribution';
import { weightOf, type AccountAggregate, type TrailEvent } from '../model';
import { addCoverage, addDay, addInvocation, addSessionCall, principalActivity } from '../usage';
import { recordPrepared } from './process-file';

/** Does the account pass keep this event (a principal's call, or a Lambda invocation)? */
export function isAccountEvent(event: TrailEvent): boolean {
  return principalKeyOf(event) !== undefined || invokedFunctionOf(event) !== undefined;
}

/**
 * Records one kept event of the account pass: an invocation of the function it names, and the
 * call of its principal (usage, day, session), counted for every call a grouped row stands for.
 */
export async function recordAccountEvent(
  agg: AccountAggregate,
  event: TrailEvent,
  mapper: Mapper,
): Promise<void> {
  const loading = mapper.prepare(event);
  if (loading) await loading;
  recordAccountPrepared(agg, event, mapper);
}

/** recordAccountEvent once the mapper holds the event's service (synchronous; see recordPrepared). */
export function recordAccountPrepared(agg: AccountAggregate, event: TrailEvent, mapper: Mapper): void {
  const invoked = invokedFunctionOf(event);
  if (invoked) addInvocation(agg, invoked, event);
  const key = principalKeyOf(event);
  if (!key) return;
  const calls = weightOf(event);
  agg.base.stats.attributed += calls;
  addDay(agg, event.eventTime, calls);
  const p = principalActivity(agg, key);
  addCoverage(p.usage, event.observed?.firstSeen ?? event.eventTime);
  if (event.observed) addCoverage(p.usage, event.observed.lastSeen);
  const result = recordPrepared(p.usage, event, mapper, 'action');
  const session = event.identity.type === 'AssumedRole' ? event.identity.sessionName : undefined;
  if (session) {
    const actions = result?.kind === 'mapped' ? result.permissions.map((x) => x.action) : [];
    addSessionCall(p, session, event.eventTime, actions, event.observed);
  }
}
