import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { generateSample, sampleRecordsOf, type SampleRecord } from '../helpers/cli';

/**
 * Trail values are attacker-controlled: an S3 key written by anyone who may upload reaches the
 * review comment. Through the real CLI, a key full of Markdown and HTML renders inert.
 */
const HOSTILE = 'in|x`y` <img src=x onerror=alert(1)> @org/team [l](http://e.example) __b__ $x$ #1/a.jpg';

describe('Markdown review: hostile trail values render inert', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pt-inject-'));
    const sample = sampleRecordsOf('image-resizer').find((r) => r.eventName === 'GetObject') as SampleRecord;
    const evil = {
      ...sample,
      eventID: '00000000-0000-4000-8000-00000000beef',
      requestParameters: { ...(sample.requestParameters as object), key: HOSTILE },
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::acme-uploads-111122223333/${HOSTILE}` },
        { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::acme-uploads-111122223333' },
      ],
    };
    writeFileSync(path.join(dir, 'evil.json'), JSON.stringify({ Records: [evil] }));
  });
  afterAll(() => process.env.PT_KEEP || rmSync(dir, { recursive: true, force: true }));

  it('the hostile key is in the policy and in the review, as inert code', () => {
    const json = generateSample('image-resizer', ['--trail', dir]);
    expect(json.status).toBe(0);
    expect(json.stdout).toContain('in|x`y` <img src=x onerror=alert(1)>');

    const r = generateSample('image-resizer', ['--trail', dir, '--format', 'markdown']);
    expect(r.status).toBe(0);
    const html = new MarkdownIt({ html: true, linkify: true }).render(r.stdout);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<a /i);
    expect(html).not.toMatch(/<strong>b<\/strong>/);
    expect(html).not.toMatch(/<em>/);
    // The value appears escaped (as text), never as markup
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // No mention of @org/team outside code
    const outsideCode = html.replace(/<code>[\s\S]*?<\/code>/g, '').replace(/<pre>[\s\S]*?<\/pre>/g, '');
    expect(outsideCode).not.toMatch(/@org\/team/);
    // Every table row of the narrowed table has its six cells
    const narrowed = html.split('<h3>Narrowed')[1]?.split('</table>')[0] ?? '';
    for (const row of narrowed.split('<tr>').slice(2)) expect(row.match(/<td/g)?.length).toBe(6);
  });
});
