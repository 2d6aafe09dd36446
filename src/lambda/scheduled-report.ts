/**
 * The scheduled unused-access report as a Lambda function (templates/aws/scheduled-report.yaml):
 * an EventBridge schedule invokes it; it reads the trail bucket and the account live, writes the
 * report as JSON, Markdown and HTML to the report bucket (dated and `latest/`), and notifies an
 * SNS topic when the report names unused access or could not read everything.
 *
 * `runScheduledReport` takes its configuration and clients (ports) and is what the tests run over
 * local endpoints; `handler` builds both from the environment and the execution role.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { LivePorts } from '../account/live';
import { parseTimeBound } from '../ingest';
import { runReport } from '../pipeline/run-report';
import { renderCanonicalJson } from '../render';
import { renderReportHtml } from '../render/report-html';
import { renderReportMarkdown } from '../render/report-markdown';
import type { S3Port } from '../sources';

/** The function's configuration (environment variables of the template). */
export interface ScheduledReportConfig {
  /** `s3://bucket/prefix` of the trail (TRAIL). */
  trail: string;
  /** Bucket and key prefix the report is written to (REPORT_BUCKET, REPORT_PREFIX). */
  reportBucket: string;
  reportPrefix: string;
  /** Regions whose Lambda functions are read (REGIONS, comma separated). */
  regions: string[];
  /** Window start: a duration such as `90d` or an ISO date (SINCE). */
  since: string;
  /** SNS topic notified when something is unused or the read was partial (TOPIC_ARN). */
  topicArn?: string;
}

export interface ScheduledReportPorts {
  s3: S3Port;
  live: LivePorts;
  sns?: Pick<SNSClient, 'send'>;
}

export interface ScheduledReportResult {
  keys: string[];
  unusedRoles: number;
  unusedFunctions: number;
  partial: boolean;
  noData: boolean;
  notified: boolean;
}

const KEY_PREFIX_RE = /^[A-Za-z0-9!_.*'()/-]{0,512}$/;

/** Reads the configuration from the function's environment; a missing or bad value throws. */
export function configFromEnv(env: NodeJS.ProcessEnv): ScheduledReportConfig {
  const need = (k: string): string => {
    const v = env[k];
    if (!v) throw new Error(`${k} is not set`);
    return v;
  };
  const trail = need('TRAIL');
  const reportBucket = need('REPORT_BUCKET');
  const prefix = (env.REPORT_PREFIX ?? 'policy-tighten/').replace(/^\/+/, '');
  if (!KEY_PREFIX_RE.test(prefix) || prefix.split('/').includes('..'))
    throw new Error('REPORT_PREFIX is not a plain S3 key prefix');
  const regions = (env.REGIONS ?? env.AWS_REGION ?? '')
    .split(/[,\s]+/)
    .filter(Boolean)
    .sort();
  if (regions.length === 0) throw new Error('REGIONS is not set');
  for (const r of regions)
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) throw new Error('REGIONS: not a list of AWS regions');
  return {
    trail,
    reportBucket,
    reportPrefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    regions,
    since: env.SINCE ?? '90d',
    ...(env.TOPIC_ARN ? { topicArn: env.TOPIC_ARN } : {}),
  };
}

/** Runs the report and publishes it (see the file header). */
export async function runScheduledReport(
  config: ScheduledReportConfig,
  ports: ScheduledReportPorts,
  now: Date = new Date(),
): Promise<ScheduledReportResult> {
  const since = parseTimeBound(config.since, now);
  const result = await runReport({
    trails: [config.trail],
    liveAccount: { ports: ports.live, regions: [...config.regions] },
    window: { since, until: now },
    now,
    sources: { s3: ports.s3, now },
  });
  const { report } = result;
  const day = now.toISOString().slice(0, 10);
  const files: [string, string, string][] = [
    ['report.json', renderCanonicalJson(report), 'application/json'],
    ['report.md', renderReportMarkdown(report), 'text/markdown; charset=utf-8'],
    ['report.html', renderReportHtml(report), 'text/html; charset=utf-8'],
  ];
  const keys: string[] = [];
  for (const folder of [`${config.reportPrefix}${day}/`, `${config.reportPrefix}latest/`]) {
    for (const [name, body, type] of files) {
      const key = `${folder}${name}`;
      await ports.s3.send(
        new PutObjectCommand({ Bucket: config.reportBucket, Key: key, Body: body, ContentType: type }),
      );
      keys.push(key);
    }
  }
  const s = report.summary;
  const worth = s.unusedRoles + s.unusedFunctions > 0 || result.partial || result.noData;
  let notified = false;
  if (config.topicArn && ports.sns && worth) {
    const lines = [
      `policy-tighten unused-access report for ${report.accounts.join(', ') || 'the account'}, ${report.window.since.slice(0, 10)} to ${day}:`,
      `unused roles: ${s.unusedRoles} of ${s.roles}; unused functions: ${s.unusedFunctions} of ${s.functions}; shared roles: ${s.sharedRoles}.`,
      ...(result.partial ? ['The read was partial: unused may mean unseen (see the findings).'] : []),
      ...(result.noData ? ['No event of the trail lies in the window: no verdict rests on the trail.'] : []),
      `Report: s3://${config.reportBucket}/${config.reportPrefix}${day}/report.html`,
    ];
    await ports.sns.send(
      new PublishCommand({
        TopicArn: config.topicArn,
        Subject: 'policy-tighten: unused access report',
        Message: lines.join('\n'),
      }),
    );
    notified = true;
  }
  return {
    keys,
    unusedRoles: s.unusedRoles,
    unusedFunctions: s.unusedFunctions,
    partial: result.partial,
    noData: result.noData,
    notified,
  };
}

/** The Lambda entry point: configuration from the environment, clients from the execution role. */
export async function handler(): Promise<ScheduledReportResult> {
  const config = configFromEnv(process.env);
  const lambdas = new Map<string, LambdaClient>();
  return runScheduledReport(config, {
    s3: new S3Client({ followRegionRedirects: true, maxAttempts: 5 }),
    live: {
      iam: new IAMClient({ region: 'us-east-1', maxAttempts: 5 }),
      lambda: (region) => {
        let c = lambdas.get(region);
        if (!c) lambdas.set(region, (c = new LambdaClient({ region, maxAttempts: 5 })));
        return c;
      },
    },
    ...(config.topicArn ? { sns: new SNSClient({ maxAttempts: 5 }) } : {}),
  });
}
