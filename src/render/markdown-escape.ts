/**
 * Escaping for GitHub-flavoured Markdown. Everything the review comment shows comes from
 * CloudTrail and the AWS account, i.e. it is attacker-controlled: these helpers make any
 * string render inert (no link, image, emphasis, HTML, mention, issue reference, math, table
 * cell split, bidi trick or invisible character).
 */

/**
 * Characters that do not show, or change how their neighbours show: C0/C1 controls and DEL
 * (Cc, including newlines), format characters (Cf: bidi controls U+202A–U+202E and
 * U+2066–U+2069, zero-width characters U+200B–U+200F, U+FEFF, U+061C, tag characters …),
 * line and paragraph separators, lone surrogates, default-ignorable code points (variation
 * selectors, the combining grapheme joiner, Hangul fillers …) and spaces other than U+0020.
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/u;
const INVISIBLE_G = new RegExp(INVISIBLE.source, 'gu');

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** `\u{202E}` for one code point: a visible, unambiguous stand-in. */
function visible(ch: string): string {
  return `\\u{${hex(ch.codePointAt(0) ?? 0)}}`;
}

/**
 * Replaces every invisible or control character (newlines included) by a visible escape such
 * as `\u{202E}`. The result is a single line.
 */
export function escapeInvisible(s: string): string {
  return s.replace(INVISIBLE_G, visible);
}

/** Markdown punctuation that is always backslash-escaped in text (`$`: GitHub math). */
const PUNCTUATION = new Set(['\\', '`', '*', '_', '[', ']', '(', ')', '#', '!', '~', '|', '$', '{', '}']);

/**
 * Escapes a string for Markdown prose, headings and table cells. The result renders as the
 * literal text on GitHub:
 * - invisible and control characters (newlines, bidi controls …) become `\u{XXXX}`;
 * - `&`, `<`, `>` become HTML entities, so no HTML (tag, comment, entity) can be formed;
 * - Markdown punctuation (`\` `` ` `` `*` `_` `[` `]` `(` `)` `#` `!` `~` `|` `$` `{` `}`) is
 *   backslash-escaped: no link, image, emphasis, code, strikethrough, math or cell split;
 * - `@` is followed by `&#8203;` (zero-width space) so `@org/team` mentions no one, `#` before
 *   an alphanumeric likewise (no issue reference), and `://` and `www.` are broken the same
 *   way so GitHub's extended autolinks do not turn URLs into links;
 * - a leading `-`, `+`, `=`, ordered-list number (`1.`) and leading/trailing spaces are
 *   escaped, so the text cannot start a list, heading, rule or indented block wherever it is
 *   placed.
 */
export function escapeMarkdownText(s: string): string {
  let out = '';
  const chars = Array.from(s);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const next = chars[i + 1] ?? '';
    if (INVISIBLE.test(ch)) out += visible(ch);
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '@') out += '@&#8203;';
    else if (ch === '#') out += /[\p{L}\p{N}]/u.test(next) ? '\\#&#8203;' : '\\#';
    else if (PUNCTUATION.has(ch)) out += `\\${ch}`;
    else out += ch;
  }
  out = out.replace(/:\/\//g, ':&#8203;//').replace(/(www)\./gi, '$1&#8203;.');
  // Block-level starts: only the beginning of the fragment can be at the start of a line
  // (newlines are escaped), e.g. after our own `- ` list marker.
  out = out.replace(/^[-+=]/, (m) => `\\${m}`).replace(/^(\d+)\./, '$1\\.');
  out = out.replace(/^ /, '&#32;').replace(/ $/, '&#32;');
  return out;
}

/**
 * An inline code span showing `s` literally, safe inside a GFM table cell:
 * - the backtick fence is longer than the longest backtick run inside, and the content is
 *   padded with a space when it starts or ends with a backtick (or with a space at both ends);
 * - `|` is written `\|`, because GFM splits table cells on pipes even inside code spans (the
 *   table parser removes the backslash again). Outside a table the backslash would show, so
 *   pass `inTable = false` for code spans in prose;
 * - invisible and control characters become `\u{XXXX}`.
 * No HTML, link or mention is recognised inside a code span. An empty string renders as a
 * code span holding one space.
 */
export function markdownCode(s: string, inTable = true): string {
  let content = escapeInvisible(s);
  if (inTable) content = content.replace(/\|/g, '\\|');
  if (content === '') return '` `';
  const fence = '`'.repeat(longestBacktickRun(content) + 1);
  const pad =
    content.startsWith('`') ||
    content.endsWith('`') ||
    (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '');
  return pad ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

function longestBacktickRun(s: string): number {
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/** `\uXXXX` per UTF-16 code unit: the JSON string escape of a character. */
function jsonEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${hex(ch.charCodeAt(i))}`;
  return out;
}

/**
 * A fenced code block (` ```json `, ` ```diff ` …) showing `content` literally. The fence is
 * longer than any backtick run inside (at least three), so no line of the content can close
 * it. Newlines (and tabs) stay; every other invisible or control character becomes its JSON
 * escape `\uXXXX`: the blocks hold JSON (or a diff of JSON), where such characters can only
 * occur inside strings, so the JSON stays valid and means the same.
 */
export function markdownCodeBlock(content: string, info = ''): string {
  let body = content.replace(INVISIBLE_G, (ch) => (ch === '\n' || ch === '\t' ? ch : jsonEscape(ch)));
  if (!body.endsWith('\n')) body += '\n';
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}${escapeInvisible(info).replace(/[`\s]/g, '')}\n${body}${fence}`;
}

/** Escapes `&`, `<`, `>`, `"` and `'` for HTML text or attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
