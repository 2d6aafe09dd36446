/**
 * A local CloudWatch Logs (JSON 1.1, `X-Amz-Target: Logs_20140328.*`) answering StartQuery,
 * GetQueryResults and StopQuery over log events held in memory, by really executing the Logs
 * Insights QL subset that src/sources/logs-insights.ts emits with a small interpreter:
 *
 * - commands joined by `|` (outside strings and regexes), `#` comments;
 * - `fields EXPR [as NAME], …`; `filter EXPR`; `parse FIELD /regex with (?<named>groups)/`;
 *   `stats AGG [as NAME], … [by EXPR [as NAME], …]`; `limit N`;
 * - expressions: `and`, `or`, `not`, parentheses, `=`, `!=`, `<`, `<=`, `>`, `>=`,
 *   `like /regex/` and `like "substring"`, string literals ("…" or '…' with `\` escapes),
 *   numbers, field references (`@message`, `a.b.c` through a map made by jsonParse, or a field
 *   discovered in a JSON message, flattened as Logs Insights does: `resources.0.ARN`);
 * - functions `jsonParse`, `jsonStringify`, `coalesce`, `ispresent`, `concat`;
 * - aggregations `count(*)`, `count(EXPR)`, `min`, `max`, `sum`, `earliest`, `latest` (of the
 *   event with the earliest / latest `@timestamp`).
 * Anything else is a MalformedQueryException, so a query the interpreter does not know fails
 * loudly instead of answering something plausible.
 *
 * Queries answer `Running` for `runningPolls` polls, then `Complete`; a query can be made to end
 * Failed (or Cancelled, Timeout, Unknown), StartQuery to answer LimitExceededException N times,
 * and results to be capped at `rowCap` rows (as the service caps them at the query's limit).
 * Every request is recorded (`requests`), every query too (`queries`).
 */
import type { ServerResponse } from 'node:http';
import { startEndpoint, type LocalEndpoint, type RecordedRequest } from './server';

// ---------------------------------------------------------------------------------------------
// Values and tokens

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 're'; v: RegExp }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

export class QuerySyntaxError extends Error {}

const IDENT_START = /[A-Za-z_@`]/;
const IDENT_PART = /[A-Za-z0-9_@.]/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new QuerySyntaxError('unterminated string');
        const d = text[i++];
        if (d === c) break;
        if (d === '\\') {
          if (i >= text.length) throw new QuerySyntaxError('unterminated string');
          v += text[i++];
        } else v += d;
      }
      out.push({ t: 'str', v });
    } else if (c === '/') {
      let src = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new QuerySyntaxError('unterminated regex');
        const d = text[i++];
        if (d === '/') break;
        if (d === '\\') {
          if (i >= text.length) throw new QuerySyntaxError('unterminated regex');
          src += d + text[i++];
        } else src += d;
      }
      let flags = '';
      while (text[i] === 'i') flags += text[i++];
      try {
        out.push({ t: 're', v: new RegExp(src, flags) });
      } catch {
        throw new QuerySyntaxError('invalid regex');
      }
    } else if (/[0-9]/.test(c)) {
      let v = '';
      while (i < text.length && /[0-9.]/.test(text[i])) v += text[i++];
      out.push({ t: 'num', v: Number(v) });
    } else if (IDENT_START.test(c)) {
      let v = '';
      while (i < text.length && (IDENT_PART.test(text[i]) || text[i] === '`')) {
        if (text[i] === '`') {
          const end = text.indexOf('`', i + 1);
          if (end < 0) throw new QuerySyntaxError('unterminated backtick name');
          v += text.slice(i + 1, end);
          i = end + 1;
        } else v += text[i++];
      }
      out.push({ t: 'id', v });
    } else {
      const two = text.slice(i, i + 2);
      if (['!=', '<=', '>=', '=~'].includes(two)) {
        out.push({ t: 'op', v: two });
        i += 2;
      } else if ('=<>(),*|'.includes(c)) {
        out.push({ t: 'op', v: c });
        i++;
      } else throw new QuerySyntaxError(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Expressions

type Expr =
  | { k: 'lit'; v: Value }
  | { k: 'field'; name: string }
  | { k: 'call'; fn: string; args: Expr[] }
  | { k: 'not'; e: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'like'; e: Expr; re?: RegExp; sub?: string; negate: boolean };

const FUNCTIONS = new Set(['jsonparse', 'jsonstringify', 'coalesce', 'ispresent', 'concat']);
const AGGREGATES = new Set(['count', 'min', 'max', 'sum', 'earliest', 'latest']);
const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'as', 'by', 'in']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  done(): boolean {
    return this.i >= this.toks.length;
  }
  peek(): Token | undefined {
    return this.toks[this.i];
  }
  next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new QuerySyntaxError('unexpected end of command');
    return t;
  }
  isWord(w: string): boolean {
    const t = this.peek();
    return t?.t === 'id' && t.v.toLowerCase() === w;
  }
  isOp(o: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === o;
  }
  expectOp(o: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== o) throw new QuerySyntaxError(`expected ${o}`);
  }
  name(): string {
    const t = this.next();
    if (t.t !== 'id' || KEYWORDS.has(t.v.toLowerCase())) throw new QuerySyntaxError('expected a name');
    return t.v;
  }

  expr(): Expr {
    let a = this.and();
    while (this.isWord('or')) {
      this.i++;
      a = { k: 'bin', op: 'or', a, b: this.and() };
    }
    return a;
  }
  private and(): Expr {
    let a = this.not();
    while (this.isWord('and')) {
      this.i++;
      a = { k: 'bin', op: 'and', a, b: this.not() };
    }
    return a;
  }
  private not(): Expr {
    if (this.isWord('not')) {
      this.i++;
      return { k: 'not', e: this.not() };
    }
    return this.cmp();
  }
  private cmp(): Expr {
    const a = this.primary();
    const t = this.peek();
    if (t?.t === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      return { k: 'bin', op: t.v, a, b: this.primary() };
    }
    let negate = false;
    if (
      this.isWord('not') &&
      this.toks[this.i + 1]?.t === 'id' &&
      (this.toks[this.i + 1] as { v: string }).v === 'like'
    ) {
      negate = true;
      this.i++;
    }
    if (this.isWord('like') || this.isOp('=~')) {
      this.i++;
      const p = this.next();
      if (p.t === 're') return { k: 'like', e: a, re: p.v, negate };
      if (p.t === 'str') return { k: 'like', e: a, sub: p.v, negate };
      throw new QuerySyntaxError('like needs a regex or a string');
    }
    if (negate) throw new QuerySyntaxError('expected like');
    return a;
  }
  primary(): Expr {
    const t = this.next();
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'id' && !KEYWORDS.has(t.v.toLowerCase())) {
      if (this.isOp('(')) {
        const fn = t.v.toLowerCase();
        if (!FUNCTIONS.has(fn) && !AGGREGATES.has(fn)) throw new QuerySyntaxError(`unknown function ${t.v}`);
        this.i++;
        const args: Expr[] = [];
        if (this.isOp('*')) {
          this.i++;
          args.push({ k: 'lit', v: '*' });
        } else if (!this.isOp(')')) {
          args.push(this.expr());
          while (this.isOp(',')) {
            this.i++;
            args.push(this.expr());
          }
        }
        this.expectOp(')');
        return { k: 'call', fn, args };
      }
      if (t.v.toLowerCase() === 'true' || t.v.toLowerCase() === 'false')
        return { k: 'lit', v: t.v.toLowerCase() === 'true' };
      return { k: 'field', name: t.v };
    }
    throw new QuerySyntaxError('expected a value');
  }
  /** `EXPR [as NAME]`: the name defaults to a field's own name. */
  named(): { e: Expr; name: string } {
    const e = this.expr();
    if (this.isWord('as')) {
      this.i++;
      return { e, name: this.name() };
    }
    if (e.k === 'field') return { e, name: e.name };
    if (e.k === 'call') return { e, name: `${e.fn}(…)` };
    throw new QuerySyntaxError('an expression needs `as NAME`');
  }
  list(): { e: Expr; name: string }[] {
    const items = [this.named()];
    while (this.isOp(',')) {
      this.i++;
      items.push(this.named());
    }
    return items;
  }
}

type Row = Map<string, Value>;

/** A field of a row: the exact name, else a map field by its longest prefix, then members. */
function fieldOf(row: Row, name: string): Value {
  if (row.has(name)) return row.get(name) ?? null;
  const parts = name.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const head = parts.slice(0, n).join('.');
    if (!row.has(head)) continue;
    let v: Value = row.get(head) ?? null;
    for (const p of parts.slice(n)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v))
        v = (v as Record<string, Value>)[p] ?? null;
      else if (Array.isArray(v) && /^\d+$/.test(p)) v = v[Number(p)] ?? null;
      else return null;
    }
    return v;
  }
  return null;
}

function isNull(v: Value | undefined): boolean {
  return v === null || v === undefined;
}

function compare(a: Value, b: Value): number | undefined {
  if (isNull(a) || isNull(b)) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = text(a);
  const y = text(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A value as the service prints it in a result. */
function text(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function truthy(v: Value): boolean {
  return v === true || (typeof v === 'number' && v !== 0);
}

function evaluate(e: Expr, row: Row): Value {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'field':
      return fieldOf(row, e.name);
    case 'not':
      return !truthy(evaluate(e.e, row));
    case 'like': {
      const v = evaluate(e.e, row);
      if (isNull(v)) return false;
      const hit = e.re ? e.re.test(text(v)) : text(v).includes(e.sub ?? '');
      return e.negate ? !hit : hit;
    }
    case 'bin': {
      if (e.op === 'and') return truthy(evaluate(e.a, row)) && truthy(evaluate(e.b, row));
      if (e.op === 'or') return truthy(evaluate(e.a, row)) || truthy(evaluate(e.b, row));
      const c = compare(evaluate(e.a, row), evaluate(e.b, row));
      if (c === undefined) return false;
      return e.op === '='
        ? c === 0
        : e.op === '!='
          ? c !== 0
          : e.op === '<'
            ? c < 0
            : e.op === '<='
              ? c <= 0
              : e.op === '>'
                ? c > 0
                : c >= 0;
    }
    case 'call': {
      const args = e.args.map((a) => evaluate(a, row));
      switch (e.fn) {
        case 'jsonparse': {
          if (typeof args[0] !== 'string') return null;
          try {
            return JSON.parse(args[0]) as Value;
          } catch {
            return null;
          }
        }
        case 'jsonstringify':
          return isNull(args[0]) ? null : JSON.stringify(args[0]);
        case 'coalesce':
          return args.find((a) => !isNull(a)) ?? null;
        case 'ispresent':
          return !isNull(args[0]);
        case 'concat':
          return args.map((a) => (isNull(a) ? '' : text(a))).join('');
        default:
          throw new QuerySyntaxError(`${e.fn} is an aggregation: only in stats`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

interface Aggregate {
  fn: string;
  arg: Expr | '*';
  name: string;
}

type Command =
  | { c: 'fields'; items: { e: Expr; name: string }[] }
  | { c: 'filter'; e: Expr }
  | { c: 'parse'; field: string; re: RegExp }
  | { c: 'stats'; aggs: Aggregate[]; by: { e: Expr; name: string }[] }
  | { c: 'limit'; n: number };

function splitCommands(toks: Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const t of toks) {
    if (t.t === 'op' && t.v === '|') out.push([]);
    else out[out.length - 1].push(t);
  }
  if (out.some((c) => c.length === 0)) throw new QuerySyntaxError('empty command');
  return out;
}

function parseCommand(toks: Token[]): Command {
  const p = new Parser(toks.slice(1));
  const head = toks[0];
  if (head.t !== 'id') throw new QuerySyntaxError('expected a command');
  let cmd: Command;
  switch (head.v.toLowerCase()) {
    case 'fields':
      cmd = { c: 'fields', items: p.list() };
      break;
    case 'filter':
      cmd = { c: 'filter', e: p.expr() };
      break;
    case 'parse': {
      const field = p.name();
      const re = p.next();
      if (re.t !== 're') throw new QuerySyntaxError('this interpreter parses with a regex only');
      cmd = { c: 'parse', field, re: re.v };
      break;
    }
    case 'stats': {
      const aggs: Aggregate[] = [];
      do {
        if (aggs.length > 0) p.next();
        const e = p.primary();
        if (e.k !== 'call' || !AGGREGATES.has(e.fn) || e.args.length > 1)
          throw new QuerySyntaxError('stats needs aggregation functions');
        const arg = e.args[0];
        const star = !arg || (arg.k === 'lit' && arg.v === '*');
        if (star && e.fn !== 'count') throw new QuerySyntaxError(`${e.fn} needs a field`);
        let name = `${e.fn}(${star ? '*' : arg.k === 'field' ? arg.name : '…'})`;
        if (p.isWord('as')) {
          p.next();
          name = p.name();
        }
        aggs.push({ fn: e.fn, arg: star ? '*' : arg, name });
      } while (p.isOp(','));
      let by: { e: Expr; name: string }[] = [];
      if (p.isWord('by')) {
        p.next();
        by = p.list();
      }
      cmd = { c: 'stats', aggs, by };
      break;
    }
    case 'limit': {
      const n = p.next();
      if (n.t !== 'num' || !Number.isInteger(n.v) || n.v < 1 || n.v > 10_000)
        throw new QuerySyntaxError('limit takes 1 to 10000');
      cmd = { c: 'limit', n: n.v };
      break;
    }
    default:
      throw new QuerySyntaxError(`unsupported command ${head.v}`);
  }
  if (!p.done()) throw new QuerySyntaxError(`unexpected tokens after ${head.v}`);
  return cmd;
}

/** A parsed query: its commands, in order. */
export interface ParsedQuery {
  commands: Command[];
}

/** Parses a query (throws QuerySyntaxError). */
export function parseQuery(query: string): ParsedQuery {
  const commands = splitCommands(tokenize(query)).map(parseCommand);
  const stats = commands.filter((c) => c.c === 'stats').length;
  if (stats > 1) throw new QuerySyntaxError('one stats command a query, here');
  return { commands };
}

/** A log event as the query sees it. */
export interface LogEvent {
  logGroup: string;
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
}

/** Flattens a JSON message into discovered fields (`a.b`, `list.0.c`), as Logs Insights does. */
function discover(row: Row, prefix: string, v: Value): void {
  if (v !== null && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries) discover(row, prefix ? `${prefix}.${k}` : k, x);
  } else if (prefix && !row.has(prefix)) row.set(prefix, v);
}

const DISCOVERED = new WeakMap<LogEvent, Row>();

/** The system fields and the discovered fields of an event (computed once). */
function discovered(ev: LogEvent): Row {
  let row = DISCOVERED.get(ev);
  if (!row) {
    row = new Map<string, Value>([
      ['@timestamp', ev.timestamp],
      ['@message', ev.message],
      ['@log', ev.logGroup],
    ]);
    try {
      discover(row, '', JSON.parse(ev.message) as Value);
    } catch {
      // Not JSON: only the system fields.
    }
    DISCOVERED.set(ev, row);
  }
  return row;
}

/** Runs `query` over `events` (sorted by timestamp): the result rows as field/value pairs. */
export function executeQuery(
  parsed: ParsedQuery,
  events: readonly LogEvent[],
): { rows: { field: string; value: string }[][]; matched: number } {
  let rows: Row[] = events.map((ev) => new Map(discovered(ev)));
  let display: string[] = ['@timestamp', '@message'];
  let shown = false;
  let matched = 0;
  for (const cmd of parsed.commands) {
    switch (cmd.c) {
      case 'fields':
        for (const row of rows) {
          const values = cmd.items.map((it) => evaluate(it.e, row));
          cmd.items.forEach((it, i) => row.set(it.name, values[i]));
        }
        // Several `fields` commands display the union of their fields.
        display = [...new Set([...(shown ? display : []), ...cmd.items.map((it) => it.name)])];
        shown = true;
        break;
      case 'filter':
        rows = rows.filter((row) => truthy(evaluate(cmd.e, row)));
        break;
      case 'parse':
        for (const row of rows) {
          const v = fieldOf(row, cmd.field);
          const m = isNull(v) ? null : cmd.re.exec(text(v));
          for (const name of Object.keys(m?.groups ?? {})) row.set(name, m?.groups?.[name] ?? null);
          if (!m) {
            // The named groups of a regex that did not match are absent fields.
            const names = [...cmd.re.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((x) => x[1]);
            for (const name of names) row.set(name, null);
          }
        }
        break;
      case 'stats': {
        matched = rows.length;
        const groups = new Map<string, { by: Value[]; rows: Row[] }>();
        for (const row of rows) {
          const by = cmd.by.map((b) => evaluate(b.e, row));
          const key = JSON.stringify(by);
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { by, rows: [] }));
          g.rows.push(row);
        }
        if (cmd.by.length === 0 && groups.size === 0) groups.set('[]', { by: [], rows: [] });
        rows = [...groups.values()].map((g) => {
          const out: Row = new Map();
          cmd.by.forEach((b, i) => out.set(b.name, g.by[i]));
          for (const a of cmd.aggs) out.set(a.name, aggregate(a, g.rows));
          return out;
        });
        display = [...cmd.by.map((b) => b.name), ...cmd.aggs.map((a) => a.name)];
        shown = true;
        break;
      }
      case 'limit':
        rows = rows.slice(0, cmd.n);
        break;
    }
  }
  if (!parsed.commands.some((c) => c.c === 'stats')) matched = rows.length;
  return {
    rows: rows.map((row) =>
      display
        .filter((name) => !isNull(row.get(name)))
        .map((name) => ({ field: name, value: text(row.get(name) ?? null) })),
    ),
    matched,
  };
}

function aggregate(a: Aggregate, rows: Row[]): Value {
  if (a.arg === '*') return rows.length;
  const arg = a.arg;
  const values = rows.map((r) => ({ v: evaluate(arg, r), ts: Number(r.get('@timestamp')) }));
  const present = values.filter((x) => !isNull(x.v));
  switch (a.fn) {
    case 'count':
      return present.length;
    case 'sum':
      return present.reduce((n, x) => n + Number(x.v), 0);
    case 'min':
    case 'max': {
      let best: Value = null;
      for (const x of present) {
        const c = best === null ? undefined : compare(x.v, best);
        if (best === null || (c !== undefined && (a.fn === 'min' ? c < 0 : c > 0))) best = x.v;
      }
      return best;
    }
    case 'earliest':
    case 'latest': {
      let best: { v: Value; ts: number } | undefined;
      for (const x of present) {
        if (!best || (a.fn === 'earliest' ? x.ts < best.ts : x.ts >= best.ts)) best = x;
      }
      return best ? best.v : null;
    }
    default:
      throw new QuerySyntaxError(`unknown aggregation ${a.fn}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The endpoint

export type TerminalStatus = 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';

export interface LocalQuery {
  id: string;
  queryString: string;
  logGroups: string[];
  startTime: number;
  endTime: number;
  limit?: number;
  status: 'Running' | 'Complete' | 'Cancelled' | TerminalStatus;
  polls: number;
  /** The status it ends with (Complete unless made to fail). */
  ends: 'Complete' | TerminalStatus;
  rows: { field: string; value: string }[][];
  statistics: { recordsScanned: number; recordsMatched: number; bytesScanned: number };
}

export interface LocalLogs extends LocalEndpoint {
  /** Adds log events: CloudTrail records (the timestamp is their eventTime, plus `delayMs`) or raw messages. */
  put(
    logGroup: string,
    records: readonly (object | string)[],
    options?: { delayMs?: number; timestamp?: number },
  ): void;
  /** The next `n` queries (whose text matches `match`, when given) end with `status`. */
  failNext(n: number, status?: TerminalStatus, match?: RegExp): void;
  /** The next `n` StartQuery requests answer LimitExceededException. */
  limitExceeded(n: number): void;
  /** Result rows a query returns at most (the service caps them at the query's limit). */
  rowCap: number | undefined;
  /** GetQueryResults answers `Running` this many times before the end status. @default 1 */
  runningPolls: number;
  /** Queries never complete (Running until stopped). */
  neverComplete: boolean;
  /** Rows a GetQueryResults page holds; more rows are paged with nextToken. @default 10000 */
  pageSize: number;
  queries: LocalQuery[];
  /** The requests of one operation. */
  calls(operation: 'StartQuery' | 'GetQueryResults' | 'StopQuery'): RecordedRequest[];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, type: string, message: string): void {
  send(res, 400, { __type: type, message });
}

/** Starts the local CloudWatch Logs (see the file header). */
export async function startLocalLogs(): Promise<LocalLogs> {
  const events: LogEvent[] = [];
  const queries = new Map<string, LocalQuery>();
  const failures: { left: number; status: TerminalStatus; match?: RegExp }[] = [];
  let limitLeft = 0;
  let nextId = 1;
  const operationOf = (r: RecordedRequest) =>
    String(r.headers['x-amz-target'] ?? '').replace(/^Logs_20140328\./, '');

  const endpoint = await startEndpoint((req, res) => {
    const op = operationOf(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    } catch {
      return fail(res, 'SerializationException', 'bad JSON');
    }
    if (op === 'StartQuery') {
      if (limitLeft > 0) {
        limitLeft--;
        return fail(
          res,
          'LimitExceededException',
          'Account maximum query concurrency limit of [30] reached.',
        );
      }
      const groups = Array.isArray(body.logGroupNames)
        ? (body.logGroupNames as string[])
        : typeof body.logGroupName === 'string'
          ? [body.logGroupName]
          : [];
      const { startTime, endTime, queryString } = body as {
        startTime?: number;
        endTime?: number;
        queryString?: string;
      };
      if (groups.length === 0 || typeof startTime !== 'number' || typeof endTime !== 'number' || !queryString)
        return fail(
          res,
          'InvalidParameterException',
          'logGroupNames, startTime, endTime and queryString are required',
        );
      if (!Number.isInteger(startTime) || !Number.isInteger(endTime) || endTime < startTime)
        return fail(
          res,
          'InvalidParameterException',
          'startTime and endTime are epoch seconds, start <= end',
        );
      for (const g of groups)
        if (!events.some((e) => e.logGroup === g))
          return fail(res, 'ResourceNotFoundException', `Log group ${g} does not exist`);
      let parsed: ParsedQuery;
      try {
        parsed = parseQuery(queryString);
      } catch (err) {
        return fail(res, 'MalformedQueryException', (err as Error).message);
      }
      // Both ends inclusive, in seconds.
      const scanned = events.filter(
        (e) =>
          groups.includes(e.logGroup) &&
          e.timestamp >= startTime * 1000 &&
          e.timestamp < (endTime + 1) * 1000,
      );
      const { rows, matched } = executeQuery(parsed, scanned);
      const cap = Math.min(
        typeof body.limit === 'number' ? body.limit : 10_000,
        local.rowCap ?? Number.POSITIVE_INFINITY,
      );
      const failure = failures.find((f) => f.left > 0 && (!f.match || f.match.test(queryString)));
      if (failure) failure.left--;
      const id = `q-${nextId++}`;
      queries.set(id, {
        id,
        queryString,
        logGroups: groups,
        startTime,
        endTime,
        ...(typeof body.limit === 'number' ? { limit: body.limit } : {}),
        status: 'Running',
        polls: 0,
        ends: failure ? failure.status : 'Complete',
        rows: rows.slice(0, cap),
        statistics: {
          recordsScanned: scanned.length,
          recordsMatched: matched,
          bytesScanned: scanned.reduce((n, e) => n + Buffer.byteLength(e.message), 0),
        },
      });
      return send(res, 200, { queryId: id });
    }
    if (op === 'GetQueryResults') {
      const q = queries.get(String(body.queryId));
      if (!q) return fail(res, 'ResourceNotFoundException', 'no such query');
      if (q.status === 'Running' && !local.neverComplete) {
        if (q.polls >= local.runningPolls) q.status = q.ends;
        q.polls++;
      }
      const from = Number(body.nextToken ?? '0');
      const done = q.status === 'Complete';
      const page = done ? q.rows.slice(from, from + local.pageSize) : [];
      return send(res, 200, {
        status: q.status,
        results: page,
        statistics: done ? q.statistics : { recordsScanned: 0, recordsMatched: 0, bytesScanned: 0 },
        ...(done && from + local.pageSize < q.rows.length
          ? { nextToken: String(from + local.pageSize) }
          : {}),
      });
    }
    if (op === 'StopQuery') {
      const q = queries.get(String(body.queryId));
      if (!q) return fail(res, 'ResourceNotFoundException', 'no such query');
      if (q.status !== 'Running') return fail(res, 'InvalidParameterException', 'the query is not running');
      q.status = 'Cancelled';
      return send(res, 200, { success: true });
    }
    return fail(res, 'UnknownOperationException', `${op} is not supported here`);
  });

  const local: LocalLogs = {
    ...endpoint,
    rowCap: undefined,
    runningPolls: 1,
    neverComplete: false,
    pageSize: 10_000,
    get queries() {
      return [...queries.values()];
    },
    put(logGroup, records, options = {}) {
      for (const r of records) {
        const message = typeof r === 'string' ? r : JSON.stringify(r);
        const time =
          options.timestamp ??
          Date.parse(String(typeof r === 'string' ? '' : (r as { eventTime?: unknown }).eventTime)) +
            (options.delayMs ?? 0);
        events.push({ logGroup, timestamp: Number.isNaN(time) ? 0 : time, message });
      }
      events.sort((a, b) => a.timestamp - b.timestamp);
    },
    failNext(n, status = 'Failed', match) {
      failures.push({ left: n, status, ...(match ? { match } : {}) });
    },
    limitExceeded(n) {
      limitLeft = n;
    },
    calls(operation) {
      return endpoint.requests.filter((r) => operationOf(r) === operation);
    },
  };
  return local;
}
