import { renderAuditMarkdown } from '../../../src/render/audit-markdown';
import { renderAuditHtml } from '../../../src/render/audit-html';
import type { AuditResult } from '../../../src/audit/types';
import { AUDIT_FIXTURE } from './audit-fixture';
import { golden } from './audit-golden';

describe('audit Markdown', () => {
  const md = renderAuditMarkdown(AUDIT_FIXTURE);

  it('matches its golden file; same input, same bytes', () => {
    golden('audit.md', md);
    expect(renderAuditMarkdown(AUDIT_FIXTURE)).toBe(md);
  });

  it('counts, rules not run, then findings by severity, most severe first', () => {
    const order = [
      '| Critical | 1 |',
      '### Rules not run (1)',
      '### Critical (1)',
      '### High (2)',
      '### Medium (1)',
      '### Low (1)',
      '### Info (1)',
    ];
    const at = order.map((s) => md.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain('PT-AUDIT-SECRET-ENV');
    expect(md).toContain(
      '```sh\npolicy-tighten generate --function reports-api --trail ./trail --since 90d\n```',
    );
  });

  it('escapes every value: no HTML, link, emphasis, mention or bidi control gets through', () => {
    // Code spans and fenced blocks show their content literally (no HTML there); all else is prose.
    const prose = md.replace(/^```[a-z]*\n[\s\S]*?^```$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(prose).not.toMatch(/<img|<script|\]\(http|@team|\u202E/);
    expect(md).not.toMatch(/\u202E/);
    expect(md).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(md).toContain('\\*\\*bold\\*\\*');
    expect(md).toContain('@&#8203;team');
    expect(md).toContain('\\u{202E}');
  });

  it('no finding is not "fine": the rules not run are said', () => {
    const none: AuditResult = {
      ...AUDIT_FIXTURE,
      findings: [],
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    };
    const out = renderAuditMarkdown(none);
    expect(out).toContain('**No finding** from 4 rules run, 1 not run: the rules not run checked nothing.');
    expect(out).toContain('### Rules not run (1)');
  });

  it('the HTML page is deterministic and escapes the hostile name', () => {
    const html = renderAuditHtml(AUDIT_FIXTURE);
    expect(renderAuditHtml(AUDIT_FIXTURE)).toBe(html);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Content-Security-Policy');
  });
});
