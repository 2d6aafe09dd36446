import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import type { PolicyDiff } from '../../../src/diff/types';
import type { PolicyDocument } from '../../../src/model';
import {
  escapeInvisible,
  escapeMarkdownText,
  markdownCode,
  markdownCodeBlock,
  renderReviewMarkdown,
  type ReviewInput,
} from '../../../src/render/markdown';
import {
  added,
  evidence,
  finding,
  grant,
  kept,
  narrowed,
  notObservable,
  removed,
  review,
} from './diff-fixture';

const md = new MarkdownIt({ html: true, linkify: false });
/** GitHub's extended autolinks: schemes, `www.` and e-mail addresses (no bare domains). */
const mdLinkify = new MarkdownIt({ html: true, linkify: true });
mdLinkify.linkify.set({ fuzzyLink: false });

const ALLOWED_TAGS = new Set([
  'h2',
  'h3',
  'h4',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'code',
  'pre',
  'details',
  'summary',
  'br',
  'ul',
  'li',
  'blockquote',
  'strong',
]);
/** Our own bold labels: the only `<strong>` the comment may hold. */
const OUR_STRONG = new Set([
  'Do not apply: removals are NOT shown as safe.',
  "The proposal grants access that today's policies do not.",
]);

function decode(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Text content of an HTML fragment, without our zero-width spaces. */
function text(html: string): string {
  return decode(html.replace(/<[^>]*>/g, '')).replace(/\u200B/g, '');
}

function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1].toLowerCase());
}

/** Fails unless `<details>` tags nest properly (one level) and fences open and close in pairs. */
function expectBalanced(markdown: string): void {
  let depth = 0;
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      continue;
    }
    const open = /^(`{3,})[^`]*$/.exec(line);
    if (open) {
      fence = open[1];
      continue;
    }
    // Our tags stand on their own lines; data never holds a raw `<` outside code spans.
    if (line === '<details>') depth++;
    if (line === '</details>') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
    expect(depth).toBeLessThanOrEqual(1);
  }
  expect(fence).toBeUndefined();
  expect(depth).toBe(0);
  const html = md.render(markdown);
  expect((html.match(/<details>/g) ?? []).length).toBe((html.match(/<\/details>/g) ?? []).length);
  expect((html.match(/<pre>/g) ?? []).length).toBe((html.match(/<\/pre>/g) ?? []).length);
}

/** Per table: every row has as many cells as the header. Returns the cells' HTML. */
function tableCells(html: string): string[] {
  const cells: string[] = [];
  for (const t of html.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
    const rows = [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => r[1]);
    const width = (rows[0].match(/<th[ >]/g) ?? []).length;
    expect(width).toBeGreaterThan(0);
    for (const r of rows.slice(1)) {
      const tds = [...r.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
      expect(tds).toHaveLength(width);
      cells.push(...tds);
    }
  }
  return cells;
}

// Everything an attacker can put into a trail or an account, in one value.
const EVIL =
  'x|y`z``w <img src=x onerror=alert(1)> @org/team [link](http://x) ![i](http://x) **b** _e_ ~~s~~ $m$ ' +
  '#12 </details> <script>s()</script> &amp; a\\|b\nline2\r\u202Eevil\u0000\u0007\u007F\u009B\u200B\uFEFF\u2066' +
  '\u061C www.evil.example mail@evil.example <!-- c --> ```` \\';
/** How EVIL must read once rendered: the same characters, invisible ones escaped. */
const EVIL_SHOWN = escapeInvisible(EVIL);

function evilDiff(): PolicyDiff {
  const base = review().diff;
  return {
    ...base,
    target: { display: EVIL, roleArn: `arn:aws:iam::1:role/${EVIL}`, roleName: EVIL },
    window: { ...base.window, since: EVIL, until: EVIL, coverage: { first: EVIL, last: EVIL } },
    current: {
      policies: [{ kind: 'managed', name: EVIL, arn: EVIL, versionId: EVIL }],
      boundary: { kind: 'boundary', name: EVIL },
      unknown: [EVIL],
    },
    removed: [
      removed(`s3:${EVIL}`, { service: EVIL, grants: [grant({ policy: EVIL, sid: EVIL })] }),
      removed('iam:PassRole', { accessLevel: 'Permissions management', grants: [grant({ policy: EVIL })] }),
      removed(EVIL, { service: 'sqs', accessLevel: 'Read', blockedByBoundary: true }),
    ],
    narrowed: [
      narrowed(EVIL, { from: [EVIL], to: [EVIL, 'arn:aws:s3:::b'], evidence: evidence({ lastSeen: EVIL }) }),
    ],
    kept: [
      kept(EVIL, {
        resources: [EVIL],
        evidence: evidence({ lastSeen: EVIL, notes: [EVIL], origins: ['on-behalf', 'implied-by-config'] }),
      }),
    ],
    added: [
      added(EVIL, { resources: [EVIL], evidence: evidence({ notes: [EVIL] }) }),
      added('s3:PutObject', {
        reason: 'observed-not-granted',
        resources: [EVIL],
        evidence: evidence({ lastSeen: EVIL }),
      }),
    ],
    notObservable: [
      notObservable(EVIL, { category: EVIL, what: EVIL, grants: [grant({ policy: EVIL, sid: EVIL })] }),
    ],
    guardrails: [
      {
        policy: EVIL,
        sid: EVIL,
        proposedSid: `${EVIL}2`,
        statement: { Sid: EVIL, Effect: 'Deny', Action: 'iam:*', Resource: [EVIL] },
      },
    ],
    boundaryBlocks: [{ action: EVIL, resources: [EVIL], why: 'deny' }],
    refusals: [{ code: 'current-unknown', message: EVIL }],
    safeToRemove: false,
    noNewAccess: {
      holds: false,
      exceptions: [{ action: EVIL, resource: EVIL, reason: 'observed-not-granted' }],
    },
    textDiff: `--- current\n+++ proposed\n-${EVIL}\n+${EVIL}\n\`\`\`\`\`\n</details>\n`,
  };
}

function evilReview(): ReviewInput {
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Sid: EVIL, Effect: 'Allow', Action: [EVIL], Resource: [EVIL] }],
  };
  return {
    diff: evilDiff(),
    policies: [policy],
    findings: [
      finding(EVIL, { message: EVIL, severity: 'error' }),
      finding(`PT-X[${EVIL}]`, { message: EVIL, suppressed: { reason: EVIL } }),
    ],
    stats: review().stats,
    marker: `orders api ${EVIL}`,
  };
}

describe('renderReviewMarkdown: untrusted values render inert', () => {
  const markdown = renderReviewMarkdown(evilReview());
  const html = md.render(markdown);
  const outsideCode = html.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '');

  it('forms no image, link, script or event handler', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a[\s>]/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]*\sonerror\s*=/i);
    expect(mdLinkify.render(markdown)).not.toMatch(/<a[\s>]/i);
  });

  it('uses allow-listed tags only, and bold only for our own labels', () => {
    expect([...new Set(tags(html))].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    const strong = [...html.matchAll(/<strong>([\s\S]*?)<\/strong>/g)].map((m) => decode(m[1]));
    expect(strong.length).toBeGreaterThan(0);
    expect(strong.filter((s) => !OUR_STRONG.has(s))).toEqual([]);
    expect(html).not.toMatch(/<em>|<del>|<s>|<hr/);
  });

  it('keeps table cells whole: the right number per row, values intact', () => {
    const cells = tableCells(html).map(text);
    // Code spans and escaped text both show the value exactly, pipes included.
    expect(cells.filter((c) => c.includes(EVIL_SHOWN)).length).toBeGreaterThanOrEqual(20);
  });

  it('shows values literally in prose and headings too', () => {
    const h2 = /<h2>([\s\S]*?)<\/h2>/.exec(html);
    expect(text(h2?.[1] ?? '')).toBe(`policy-tighten: ${EVIL_SHOWN}`);
    const items = [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]));
    expect(items.filter((i) => i.includes(EVIL_SHOWN)).length).toBeGreaterThanOrEqual(5);
  });

  it('mentions no one and links nothing outside code', () => {
    const plain = decode(outsideCode.replace(/<[^>]*>/g, ''));
    expect(plain).toContain('@\u200Borg/team');
    expect(plain).not.toMatch(/@[\w-]/);
    expect(plain).not.toMatch(/:\/\//);
    expect(plain).not.toMatch(/www\./i);
    expect(plain).not.toMatch(/#\d/);
  });

  it('holds no bidi, invisible or control character', () => {
    const bad =
      // eslint-disable-next-line no-control-regex -- the point: no control character may survive
      /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200C-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u061C]/;
    expect(markdown).not.toMatch(bad);
    expect(markdown).not.toMatch(/\u200B/);
    expect(html).not.toMatch(bad);
    expect(markdown).toContain('\\u{202E}');
  });

  it('keeps details and fences balanced, with raw HTML only from us', () => {
    expectBalanced(markdown);
    const ours =
      /^(<details>|<\/details>|<summary>[^<]*<\/summary>|<!-- policy-tighten:review:[A-Za-z0-9._:-]+ -->)$/;
    // Outside fenced blocks, a line starting with `<` is one of ours.
    let fence: string | undefined;
    for (const line of markdown.split('\n')) {
      if (fence !== undefined) {
        if (line === fence) fence = undefined;
        continue;
      }
      const open = /^(`{3,})[^`]*$/.exec(line);
      if (open) fence = open[1];
      else if (line.startsWith('<')) expect(line).toMatch(ours);
      // Raw `<` elsewhere only opens our own <br>, or sits inside a code span.
      const outside = line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
      expect(
        outside.replace(/<br>|<\/?details>|<\/?summary>|<!-- policy-tighten:review:[^ ]+ -->/g, ''),
      ).not.toMatch(/</);
    }
  });

  it('sanitises the marker and fences the JSON and the diff', () => {
    const first = markdown.split('\n')[0];
    expect(first).toMatch(/^<!-- policy-tighten:review:orders-api-x-y-z[A-Za-z0-9._:-]* -->$/);
    const pres = [...html.matchAll(/<pre><code class="language-(\w+)">([\s\S]*?)<\/code><\/pre>/g)];
    expect(pres.map((p) => p[1]).sort()).toEqual(['diff', 'json', 'json']);
    for (const p of pres.filter((x) => x[1] === 'json')) {
      const json = decode(p[2]);
      // Still valid JSON meaning the same value: invisible characters became JSON escapes.
      const parsed = JSON.parse(json) as { Sid?: string; Statement?: { Sid: string }[] };
      expect(parsed.Sid ?? parsed.Statement?.[0].Sid).toBe(EVIL);
    }
  });
});

describe('renderReviewMarkdown: content', () => {
  const markdown = renderReviewMarkdown(review());

  it('starts with the marker, the title and the verdict', () => {
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('<!-- policy-tighten:review:orders-api -->');
    expect(lines[2]).toBe('## policy-tighten: function orders-api');
    expect(lines[4]).toBe(
      'Removes 4 of 10 granted actions (40%), narrows 1, keeps 1, adds 1; 1 not observable.',
    );
    expect(markdown.endsWith('\nGenerated by policy-tighten. Full data: `--diff-out`.\n')).toBe(true);
  });

  it('says so when nothing changes', () => {
    const out = renderReviewMarkdown(
      review(
        {},
        {
          changed: false,
          removed: [],
          narrowed: [],
          added: [],
          notObservable: [],
          counts: {
            ...review().diff.counts,
            removedActions: 0,
            narrowedActions: 0,
            addedActions: 0,
            notObservableActions: 0,
          },
        },
      ),
    );
    expect(out).toContain('\n\nAlready least-privilege: no change.\n');
    expect(out).not.toContain('### Removals');
  });

  it('groups removals by access level, riskiest first, then by service', () => {
    const pm = markdown.indexOf('#### Permissions management (2 actions)');
    const write = markdown.indexOf('#### Write (1 action)');
    const read = markdown.indexOf('#### Read (1 action)');
    expect(pm).toBeGreaterThan(markdown.indexOf('### Removals by risk (4 actions)'));
    expect(write).toBeGreaterThan(pm);
    expect(read).toBeGreaterThan(write);
    expect(markdown).toContain('| `iam` | `iam:PassRole` | inline:orders-api-runtime Sid `Runtime` |');
    expect(markdown).toContain('`s3:PutBucketPolicy`&#8224;');
    expect(markdown).toContain('&#8224; Already blocked by the permissions boundary');
    expect(markdown).toContain('| `dynamodb` | `dynamodb:Scan` | AmazonDynamoDBFullAccess |');
  });

  it('names the granting statements per policy, with their flags', () => {
    const out = renderReviewMarkdown(
      review(
        {},
        {
          removed: [
            removed('iam:CreateRole', {
              grants: [
                grant({ policy: 'P', sid: undefined, conditional: true }),
                grant({ policy: 'P', sid: 'B' }),
                grant({ policy: 'P', sid: 'A', notResource: true }),
                grant({ policy: 'Q', sid: undefined }),
              ],
            }),
          ],
        },
      ),
    );
    expect(out).toContain(
      '| `iam` | `iam:CreateRole` | P Sid `A` (NotResource), `B`; without Sid (with Condition)<br>Q |',
    );
  });

  it('lists the count and the first few when a service has many removed actions', () => {
    const many = Array.from({ length: 30 }, (_, i) => removed(`ec2:Action${String(i).padStart(2, '0')}`));
    const out = renderReviewMarkdown(review({}, { removed: many }));
    expect(out).toContain('| `ec2` | 30 actions, the first 10: `ec2:Action00`, ');
    expect(out).toContain('`ec2:Action09`, … |');
    expect(out).not.toContain('ec2:Action10');
  });

  it('renders narrowed, added, not observable and kept rows', () => {
    expect(markdown).toContain('| action | today | proposed | calls | last seen |');
    expect(markdown).toContain(
      '| `dynamodb:GetItem` | `*` | `arn:aws:dynamodb:eu-west-1:123456789012:table/orders` | 42 | 2026-05-30T12:00:00Z |',
    );
    expect(markdown).toMatch(
      /\| `logs:PutLogEvents` \| `arn:[^|]+` \| The function's configuration needs it/,
    );
    expect(markdown).toContain('implied-by-config<br>Lambda writes its logs');
    expect(markdown).toContain('| `s3:GetObject` | S3 object-level access (`s3-object`) | kept |');
    const keptAt = markdown.indexOf('<summary>Kept permissions with evidence (1 action)</summary>');
    expect(keptAt).toBeGreaterThan(0);
    expect(markdown.indexOf('| `sqs:SendMessage` |')).toBeGreaterThan(keptAt);
  });

  it('warns first: new access, observed-not-granted, boundary, unknown policies, guardrails', () => {
    const out = renderReviewMarkdown(
      review(
        {},
        {
          added: [added('s3:PutObject', { reason: 'observed-not-granted' })],
          noNewAccess: {
            holds: false,
            exceptions: [
              { action: 's3:PutObject', resource: 'arn:aws:s3:::b/*', reason: 'observed-not-granted' },
            ],
          },
          boundaryBlocks: [{ action: 'kms:Decrypt', resources: ['*'], why: 'implicit' }],
          current: {
            policies: [],
            boundary: { kind: 'boundary', name: 'Boundary' },
            unknown: ['managed:Gone'],
          },
          guardrails: [
            { policy: 'inline:a', sid: 'D1', statement: { Effect: 'Deny', Action: 'iam:*', Resource: '*' } },
            { policy: 'inline:a', statement: { Effect: 'Deny', NotAction: 's3:*', Resource: '*' } },
          ],
        },
      ),
    );
    const summary = out.indexOf('| Summary | Value |');
    const caution = out.indexOf("> **The proposal grants access that today's policies do not.**");
    expect(caution).toBeGreaterThan(0);
    expect(out).toContain('> - `s3:PutObject` on `arn:aws:s3:::b/*`: CloudTrail shows successful calls');
    expect(out).toContain('the function may be failing now, or the evidence is wrong');
    expect(out).toContain('> The permissions boundary (Boundary) blocks 1 permission of the proposal');
    expect(out).toContain('> - `kms:Decrypt` on `*`: the boundary allows it nowhere');
    expect(out).toContain('> - managed:Gone');
    expect(out).toContain('> [!NOTE]\n> 2 explicit Deny statements are carried over verbatim');
    for (const s of ['[!WARNING]', '[!NOTE]', '[!CAUTION]']) {
      expect(out.indexOf(s)).toBeGreaterThan(0);
      expect(out.indexOf(s)).toBeLessThan(summary);
    }
    expect(out).toContain('<summary>Guardrails: 2 explicit Deny statements carried over verbatim</summary>');
    expect(out).toContain('"NotAction": "s3:*"');
  });

  it('shows findings with severity, and suppressed ones with their reason', () => {
    const out = renderReviewMarkdown(
      review({
        findings: [
          finding('PT-A', { severity: 'error', message: 'broken' }),
          finding('PT-B', { suppressed: { reason: 'known, ticket SEC-1' } }),
        ],
      }),
    );
    expect(out).toContain('<summary>Findings (1 error, 1 warning; 1 suppressed)</summary>');
    expect(out).toContain('| error | `PT-A` | broken | 3 |');
    expect(out).toContain(
      '| warning, suppressed | `PT-B` | unmapped call PT-B<br>Suppressed: known, ticket SEC-1 | 3 |',
    );
    expect(out).toContain('> - `PT-A`: broken');
  });

  it('includes the proposed policy and the text diff in collapsible blocks', () => {
    expect(markdown).toContain(
      '<summary>Proposed policy (1 document, 1 statement)</summary>\n\n```json\n{\n',
    );
    expect(markdown).toContain('<summary>Text diff (current → proposed)</summary>\n\n```diff\n--- current\n');
    expectBalanced(markdown);
  });
});

describe('renderReviewMarkdown: refusals', () => {
  it('puts "Do not apply" right after the title, before anything else', () => {
    const input = review(
      {},
      {
        refusals: [
          { code: 'short-window', message: 'the window is 3 days; 14 are needed' },
          { code: 'partial-read', message: 'the read was partial' },
        ],
        safeToRemove: false,
        noNewAccess: { holds: false, exceptions: [] },
      },
    );
    const out = renderReviewMarkdown(input);
    const blocks = out.split('\n\n');
    expect(blocks[0]).toBe('<!-- policy-tighten:review:orders-api -->');
    expect(blocks[1]).toMatch(/^## policy-tighten: /);
    expect(blocks[2]).toMatch(/^> \[!CAUTION\]\n> \*\*Do not apply: removals are NOT shown as safe\.\*\*/);
    expect(blocks[2]).toContain(
      '> - The window is shorter than the evidence needs (`short-window`): the window is 3 days',
    );
    expect(blocks[2]).toContain('> - The trail was only partly read (`partial-read`)');
    expect(blocks[3]).toMatch(/^Removes 4 of 10 .*not shown as safe/);
    expect(out).toContain('Not shown as safe: see the caution at the top.');
  });

  it('keeps the caution when folding hard', () => {
    const input = review(
      { maxLength: 600 },
      { refusals: [{ code: 'no-calls', message: 'none' }], safeToRemove: false },
    );
    const out = renderReviewMarkdown(input);
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out.split('\n\n')[2]).toContain('Do not apply: removals are NOT shown as safe.');
  });
});

describe('renderReviewMarkdown: size', () => {
  function huge(): ReviewInput {
    const levels = ['Permissions management', 'Write', 'Tagging', 'List', 'Read'] as const;
    const removedEntries = Array.from({ length: 20000 }, (_, i) =>
      removed(`svc${i % 200}:Action${i}`, {
        accessLevel: levels[i % levels.length],
        grants: [grant({ sid: `S${i % 7}` })],
      }),
    );
    const keptEntries = Array.from({ length: 3000 }, (_, i) =>
      kept(`sqs:Kept${i}`, { evidence: evidence({ notes: [`note ${i}`] }) }),
    );
    const policies: PolicyDocument[] = [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: keptEntries.map((k) => k.action), Resource: ['*'] }],
      },
    ];
    return review(
      {
        policies,
        findings: Array.from({ length: 1000 }, (_, i) =>
          finding(`PT-UNMAPPED[x${String(i).padStart(4, '0')}]`),
        ),
      },
      {
        removed: removedEntries,
        kept: keptEntries,
        narrowed: Array.from({ length: 300 }, (_, i) => narrowed(`dynamodb:N${i}`)),
        counts: { ...review().diff.counts, grantedActions: 23000, removedActions: 20000, keptActions: 3000 },
        textDiff: '-  "x"\n'.repeat(50000),
      },
    );
  }

  it('folds a diff with 20,000 removed actions to fit 65,536 characters', () => {
    const out = renderReviewMarkdown(huge());
    expect(out.length).toBeLessThanOrEqual(65536);
    expect(out).toMatch(
      /Folded to fit GitHub's 65,536-character limit: .*; see `--diff-out` \/ `--out` for the full data\./,
    );
    expect(out).toContain('Generated by policy-tighten. Full data: `--diff-out`.');
    expect(out).toContain('### Removals by risk (20,000 actions)');
    expectBalanced(out);
    tableCells(md.render(out));
  });

  it('folds in order: the text diff first', () => {
    const input = review({}, { textDiff: '+  "y"\n'.repeat(12000) });
    const out = renderReviewMarkdown(input);
    expect(out.length).toBeLessThanOrEqual(65536);
    expect(out).toContain(
      "> Folded to fit GitHub's 65,536-character limit: the text diff; see `--diff-out` / `--out` for the full data.",
    );
    expect(out).toContain('<summary>Proposed policy');
    expect(out).not.toContain('<summary>Text diff');
    expect(renderReviewMarkdown(review())).not.toContain('Folded to fit');
  });

  it('is never longer than maxLength and never cuts a construct', () => {
    const input = huge();
    for (const maxLength of [65536, 30000, 8000, 3000, 1200, 400, 120, 45, 10]) {
      const out = renderReviewMarkdown({ ...input, maxLength });
      expect(out.length).toBeLessThanOrEqual(maxLength);
      if (out.length) expect(out.startsWith('<!-- policy-tighten:review:orders-api -->\n')).toBe(true);
      expectBalanced(out);
      if (out.length > 100) expect(out).toContain('-character limit');
    }
  });
});

describe('renderReviewMarkdown: determinism', () => {
  it('renders the same bytes for the same input, whatever the order of the entries', () => {
    const a = evilReview();
    const b = structuredClone(a);
    b.diff.removed.reverse();
    b.diff.added.reverse();
    b.findings.reverse();
    expect(renderReviewMarkdown(b)).toBe(renderReviewMarkdown(a));
    expect(renderReviewMarkdown(review())).toBe(renderReviewMarkdown(review()));
  });
});

describe('escapeMarkdownText', () => {
  it.each([
    ['a*b_c', 'a\\*b\\_c'],
    ['[x](y)', '\\[x\\]\\(y\\)'],
    ['<b>&', '&lt;b&gt;&amp;'],
    ['@org/team', '@&#8203;org/team'],
    ['a|b', 'a\\|b'],
    ['\u202E\n', '\\u{202E}\\u{000A}'],
    ['- item', '\\- item'],
    ['12. x', '12\\. x'],
    [' x ', '&#32;x&#32;'],
    ['http://x', 'http:&#8203;//x'],
    ['#1', '\\#&#8203;1'],
  ])('%j → %j', (input, expected) => {
    expect(escapeMarkdownText(input)).toBe(expected);
  });

  const tricky = fc.constantFrom(
    ...'|`*_[]()<>&@#!~\\$-+=.1:/ w\n\r\t\u0000\u202E\u200B\uFEFF\u00A0a'.split(''),
    '\uD800',
    '\u{1F600}',
    '&amp;',
    '<br>',
    '```',
    '](',
    'www.',
  );
  const values = fc.oneof(
    fc.string({ unit: tricky, maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );

  it('renders any string as its literal text in a paragraph and in a table cell', () => {
    fc.assert(
      fc.property(values, (s) => {
        const p = md.render(`para ${escapeMarkdownText(s)} end`);
        expect(tags(p)).toEqual(['p', 'p']);
        expect(text(p)).toBe(`para ${escapeInvisible(s)} end\n`);
        // Where a fragment starts a line (after our own list marker), it stays in the item.
        const li = md.render(`- ${escapeMarkdownText(s)}`);
        expect(tags(li)).toEqual(['ul', 'li', 'li', 'ul']);
        expect(text(li).trim()).toBe(escapeInvisible(s).trim());
        const t = md.render(`| h |\n|---|\n| ${escapeMarkdownText(s)} |\n`);
        const cells = tableCells(t);
        expect(cells).toHaveLength(1);
        expect(text(cells[0])).toBe(escapeInvisible(s));
      }),
    );
  });
});

describe('markdownCode', () => {
  it.each([
    ['a', '`a`'],
    ['a`b', '``a`b``'],
    ['`a', '`` `a ``'],
    ['a``', '``` a`` ```'],
    [' a ', '`  a  `'],
    ['a|b', '`a\\|b`'],
    ['', '` `'],
    ['\u202E', '`\\u{202E}`'],
  ])('%j → %j', (input, expected) => {
    expect(markdownCode(input)).toBe(expected);
  });

  it('does not escape pipes outside tables', () => {
    expect(markdownCode('a|b', false)).toBe('`a|b`');
  });

  it('shows any string literally inside a table cell', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('`', '|', '\\', ' ', 'a', '<', '\n', '\u202E'), maxLength: 20 }),
        (s) => {
          const cells = tableCells(md.render(`| h |\n|---|\n| ${markdownCode(s)} |\n`));
          expect(cells).toHaveLength(1);
          expect(cells[0]).toMatch(/^<code>[\s\S]*<\/code>$/);
          expect(decode(cells[0].slice('<code>'.length, -'</code>'.length))).toBe(
            s === '' ? ' ' : escapeInvisible(s),
          );
        },
      ),
    );
  });
});

describe('markdownCodeBlock', () => {
  it('uses a fence longer than any backtick run and keeps JSON valid', () => {
    const block = markdownCodeBlock('{"a": "x````y\u202E"}', 'json');
    expect(block).toBe('`````json\n{"a": "x````y\\u202E"}\n`````');
    const html = md.render(block);
    expect(JSON.parse(decode(/<code[^>]*>([\s\S]*)<\/code>/.exec(html)?.[1] ?? ''))).toEqual({
      a: 'x````y\u202E',
    });
  });
});
