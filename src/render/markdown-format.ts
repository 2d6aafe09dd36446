/**
 * Formatting helpers shared by the Markdown renderers (review comment, report job summary):
 * every value is escaped (markdown-escape.ts) and clipped; numbers are grouped the same way
 * everywhere.
 */
import { escapeHtml, escapeMarkdownText, markdownCode } from './markdown-escape';

/** Longest value shown in one place (an ARN or pattern); longer ones are cut with `…`. */
export const MAX_VALUE = 2048;

/** Cuts an over-long value at a code point boundary, marking the cut with `…`. */
export function clip(s: string, max = MAX_VALUE): string {
  const str = String(s ?? '');
  if (str.length <= max) return str;
  let end = max;
  const code = str.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${str.slice(0, end)}…`;
}

/** Escaped prose. */
export const txt = (s: string, max?: number): string => escapeMarkdownText(clip(s, max));
/** Code span for table cells. */
export const code = (s: string): string => markdownCode(clip(s));
/** Code span for prose (no `\|`). */
export const pcode = (s: string): string => markdownCode(clip(s), false);

/** An integer with `,` grouping (locale-independent). */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

export function percent(share: number): string {
  if (!Number.isFinite(share)) return '—';
  return `${(Math.round(share * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%`;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** At most `cap` items, then `… and N more`. */
export function capped(items: string[], cap: number, sep: string): string {
  if (items.length <= cap) return items.join(sep);
  return `${items.slice(0, cap).join(sep)}${sep}… and ${num(items.length - cap)} more`;
}

export function row(cells: string[]): string {
  return `| ${cells.map((c) => (c === '' ? '—' : c)).join(' | ')} |`;
}

export function table(head: string[], align: ('l' | 'r')[], rows: string[][]): string {
  const sep = `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`;
  return [row(head), sep, ...rows.map(row)].join('\n');
}

export function alert(kind: 'CAUTION' | 'WARNING' | 'NOTE', lines: string[]): string {
  return [`> [!${kind}]`, ...lines.map((l) => `> ${l}`)].join('\n');
}

export function listItems(items: string[], cap: number): string[] {
  const shown = items.slice(0, cap).map((i) => `- ${i}`);
  if (items.length > cap) shown.push(`- … and ${num(items.length - cap)} more`);
  return shown;
}

/** `<details>` with our own summary text (HTML-escaped anyway) around Markdown blocks. */
export function details(summary: string, body: string[]): string {
  return [`<details>\n<summary>${escapeHtml(summary)}</summary>`, ...body, '</details>'].join('\n\n');
}
