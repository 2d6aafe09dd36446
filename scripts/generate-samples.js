#!/usr/bin/env node
/**
 * Writes samples/: a small, realistic demo account (account 111122223333, us-east-1 + eu-west-1,
 * 2026-11-02 … 2026-11-04) so the README quick start runs without an AWS account.
 *
 *   node scripts/generate-samples.js [OUT_DIR]     # default: samples/ next to this script
 *
 * - OUT_DIR/trail/AWSLogs/111122223333/CloudTrail/<region>/2026/11/<DD>/*.json.gz: CloudTrail
 *   delivery files ({"Records":[…]}) in the real S3 layout, plus one CloudTrail-Digest file.
 * - OUT_DIR/account/: an account snapshot directory (authorization-details.json, functions-*.json,
 *   event-source-mappings-us-east-1.json), as the AWS CLI prints them.
 * - OUT_DIR/README.md: the scenario.
 *
 * Deterministic: a seeded PRNG, fixed dates, stable ordering, gzip without timestamps. Running it
 * twice gives identical bytes. No dependencies beyond Node's built-ins. Do not edit samples/ by hand.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');
const { Buffer } = require('buffer');

const ACCOUNT = '111122223333';
const DAYS = ['2026-11-02', '2026-11-03', '2026-11-04'];
const TRAIL_NAME = 'acme-org-trail';
const TRAIL_BUCKET = 'acme-cloudtrail-logs-111122223333';
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

// ---------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = mulberry32(20261102);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
const chars = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const hex = (n) => chars(HEX, n);
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick('89ab')}${hex(3)}-${hex(12)}`;
function poisson(lambda) {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

// ---------------------------------------------------------------------------------------------
// Time helpers (all UTC)

const ms = (iso) => Date.parse(iso);
const iso = (t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const cliDate = (t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function stsExpiration(t) {
  const d = new Date(t);
  const h = d.getUTCHours();
  const pad = (n) => String(n).padStart(2, '0');
  return (
    `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ` +
    `${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`
  );
}
const HOUR = 3600e3;
const MIN = 60e3;

// ---------------------------------------------------------------------------------------------
// The account

const roleId = () => 'AROA' + chars(UPPER_ALNUM, 17);
const ROLES = {
  'orders-api-role': { id: roleId(), created: '2025-02-11T09:14:52Z' },
  'image-resizer-role': { id: roleId(), created: '2025-04-03T15:40:07Z' },
  'reports-role': { id: roleId(), created: '2025-06-19T11:02:33Z' },
  'legacy-cron-role': { id: roleId(), created: '2023-08-22T07:31:18Z' },
  // Added for the unused-access report, with fixed ids (no draw from the PRNG, so the trail and
  // every other value stay as they were): an orphaned execution role, and a role younger than
  // the report's window with its recently deployed function.
  'etl-legacy-role': { id: 'AROA5ETLLEGACYROLE01', created: '2024-05-02T08:00:00Z' },
  'ingest-backfill-role': { id: 'AROA5INGESTBACKFILL1', created: '2026-11-20T10:00:00Z' },
  // Added for the audit, likewise fixed: the role of orders-webhook (deployed after the trail).
  'orders-webhook-role': { id: 'AROA5ORDERSWEBHOOK01', created: '2026-11-19T14:00:00Z' },
};
/** A service-linked role: the report leaves these out (AWS services own them). */
const SUPPORT_SLR = 'AWSServiceRoleForSupport';
const SSO_ROLE = 'AWSReservedSSO_AdministratorAccess_5a1c2f0e9b8d7c6a';
const SSO_ROLE_ID = roleId();
const SSO_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${SSO_ROLE}`;
const DEPLOYER = {
  name: 'deployer',
  id: 'AIDA' + chars(UPPER_ALNUM, 17),
  key: 'AKIA' + chars(UPPER_ALNUM, 16),
};
const roleArn = (name) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

const KMS_KEYS = {
  'us-east-1': `arn:aws:kms:us-east-1:${ACCOUNT}:key/${uuid()}`,
  'eu-west-1': `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${uuid()}`,
};
const SSM_KEYS = {
  'us-east-1': `arn:aws:kms:us-east-1:${ACCOUNT}:key/${uuid()}`,
  'eu-west-1': `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${uuid()}`,
};
const SECRET_NAME = 'prod/orders/db';
const secretArn = (region) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${SECRET_NAME}-AbCdEf`;
const SECRET_VERSION = uuid();
// Added for the audit, with fixed values (no draw from the PRNG): secrets under customer managed
// keys, and a made-up long-term access key in legacy-cron's environment.
const SMTP_SECRET_NAME = 'prod/reports/smtp';
const SMTP_SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${SMTP_SECRET_NAME}-Qw3Er5`;
const WEBHOOK_SECRET_NAME = 'prod/orders/webhook-signing-key';
const WEBHOOK_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${WEBHOOK_SECRET_NAME}-Gh7Jk2`;
const CUSTOMER_KEYS = {
  'us-east-1': `arn:aws:kms:us-east-1:${ACCOUNT}:key/3f9c2a71-5b8e-4d06-a1c4-9e7b2d6f0a58`,
  'eu-west-1': `arn:aws:kms:eu-west-1:${ACCOUNT}:key/8a4d1e6b-2c7f-4f93-b5a0-1d3e9c7f2b64`,
};
const LEGACY_ACCESS_KEY_ID = 'AKIA4QZ7WJ3KXW2TPL6M';
const LEGACY_SECRET_ACCESS_KEY = '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';
const queueUrl = (region, name) => `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${name}`;
const tableArn = (region, name) => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`;
const UPLOADS = `acme-uploads-${ACCOUNT}`;
const REPORTS = `acme-reports-${ACCOUNT}`;
const REPORT_TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:report-ready`;

const KERNEL = 'linux#5.10.228-240.884.amzn2.x86_64';
const nodeUa = (api) =>
  `aws-sdk-js/3.700.0 ua/2.1 os/${KERNEL} lang/js md/nodejs#20.18.0 api/${api}#3.700.0 m/E,N exec-env/AWS_Lambda_nodejs20.x`;
const PY_UA =
  `Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/${KERNEL} md/arch#x86_64 lang/python#3.12.7 ` +
  'md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145';

/** Function definitions: `fn` is the runtime shape, `config` what list-functions prints. */
const FUNCTIONS = [
  { name: 'orders-api', region: 'us-east-1', role: 'orders-api-role', sdk: 'node', natIp: '44.207.18.91' },
  { name: 'orders-api', region: 'eu-west-1', role: 'orders-api-role', sdk: 'node', natIp: '52.49.201.17' },
  { name: 'image-resizer', region: 'us-east-1', role: 'image-resizer-role', sdk: 'python' },
  { name: 'report-daily', region: 'eu-west-1', role: 'reports-role', sdk: 'node' },
  { name: 'report-weekly', region: 'eu-west-1', role: 'reports-role', sdk: 'node' },
  { name: 'legacy-cron', region: 'us-east-1', role: 'legacy-cron-role', sdk: 'python' },
];
const fnArn = (f) => `arn:aws:lambda:${f.region}:${ACCOUNT}:function:${f.name}`;
const findFn = (name, region) => FUNCTIONS.find((f) => f.name === name && f.region === region);

// ---------------------------------------------------------------------------------------------
// CloudTrail records

const events = [];

function tls(host) {
  return { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host };
}

/** New code (the deployer's UpdateFunctionCode) starts fresh execution environments. */
const CODE_UPDATES = { 'image-resizer|us-east-1': ms('2026-11-03T10:21:11Z') };

/** Lambda execution environment credentials: one STS session per environment lifetime. */
const sessions = new Map();
function sessionFor(f, t, onColdStart) {
  const k = `${f.name}|${f.region}`;
  const s = sessions.get(k);
  const updated = CODE_UPDATES[k];
  const redeployed = s && updated !== undefined && s.created < updated && t >= updated;
  if (s && t - s.last < 40 * MIN && t - s.created < 5 * HOUR && !redeployed) {
    s.last = t;
    return s;
  }
  const created = t - int(250, 1400);
  const ns = {
    key: 'ASIA' + chars(UPPER_ALNUM, 16),
    created,
    last: t,
    ip: f.natIp || `${pick(['3', '18', '34', '54'])}.${int(80, 240)}.${int(1, 254)}.${int(1, 254)}`,
  };
  sessions.set(k, ns);
  lambdaAssumeRole(f, ns);
  if (onColdStart) onColdStart(ns, t);
  return ns;
}

function lambdaAssumeRole(f, s) {
  const arn = roleArn(f.role);
  events.push({
    eventVersion: '1.08',
    userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
    eventTime: iso(s.created),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: f.region,
    sourceIPAddress: 'lambda.amazonaws.com',
    userAgent: 'lambda.amazonaws.com',
    requestParameters: { roleArn: arn, roleSessionName: f.name },
    responseElements: {
      credentials: {
        accessKeyId: s.key,
        sessionToken: 'IQoJb3JpZ2luX2VjE' + chars(B64, 180),
        expiration: stsExpiration(s.created + 12 * HOUR),
      },
    },
    requestID: uuid(),
    eventID: uuid(),
    readOnly: true,
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: arn }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    sharedEventID: uuid(),
    eventCategory: 'Management',
  });
}

function lambdaIdentity(f, s, invokedBy) {
  const role = ROLES[f.role];
  const id = {
    type: 'AssumedRole',
    principalId: `${role.id}:${f.name}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${f.role}/${f.name}`,
    accountId: ACCOUNT,
    accessKeyId: s.key,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: role.id,
        arn: roleArn(f.role),
        accountId: ACCOUNT,
        userName: f.role,
      },
      webIdFederationData: {},
      attributes: { creationDate: iso(s.created), mfaAuthenticated: 'false' },
    },
  };
  if (invokedBy) id.invokedBy = invokedBy;
  return id;
}

/**
 * One API call by a function. `o`: source, name, params, resources, readOnly, data (data event),
 * host, api (SDK client id for the user agent), error [code, message], requestID, extra.
 */
function call(f, s, t, o) {
  const s3 = o.source === 's3.amazonaws.com';
  let ua = f.sdk === 'python' ? PY_UA : nodeUa(o.api);
  if (s3) ua = `[${ua}]`;
  const e = {
    eventVersion: o.data ? '1.09' : '1.08',
    userIdentity: lambdaIdentity(f, s),
    eventTime: iso(t),
    eventSource: o.source,
    eventName: o.name,
    awsRegion: f.region,
    sourceIPAddress: s.ip,
    userAgent: ua,
  };
  if (o.error) {
    e.errorCode = o.error[0];
    e.errorMessage = o.error[1];
  }
  e.requestParameters = o.params === undefined ? null : o.params;
  e.responseElements = o.response === undefined ? null : o.response;
  if (o.additional) e.additionalEventData = o.additional;
  e.requestID = o.requestID || uuid();
  e.eventID = uuid();
  e.readOnly = o.readOnly;
  if (o.resources) e.resources = o.resources;
  e.eventType = 'AwsApiCall';
  e.managementEvent = !o.data;
  e.recipientAccountId = ACCOUNT;
  e.eventCategory = o.data ? 'Data' : 'Management';
  e.tlsDetails = tls(o.host);
  events.push(e);
  return e;
}

/** A call an AWS service makes with the function's credentials (invokedBy), e.g. KMS for Secrets Manager. */
function onBehalf(f, s, t, service, o) {
  events.push({
    eventVersion: '1.08',
    userIdentity: lambdaIdentity(f, s, service),
    eventTime: iso(t),
    eventSource: o.source,
    eventName: o.name,
    awsRegion: f.region,
    sourceIPAddress: service,
    userAgent: service,
    requestParameters: o.params,
    responseElements: null,
    requestID: uuid(),
    eventID: uuid(),
    readOnly: o.readOnly,
    resources: o.resources,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  });
}

// --- service call helpers ----------------------------------------------------------------------

const ddbRequestId = () => chars('ABCDEFGHIJKLMNOPQRSTUV0123456789', 52);
function dynamo(f, s, t, name, params, extra = {}) {
  const readOnly = ['GetItem', 'Query', 'Scan', 'BatchGetItem'].includes(name);
  return call(f, s, t, {
    source: 'dynamodb.amazonaws.com',
    name,
    api: 'dynamodb',
    host: `dynamodb.${f.region}.amazonaws.com`,
    params: { tableName: 'orders', ...params },
    readOnly,
    data: true,
    requestID: ddbRequestId(),
    resources: [{ accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: tableArn(f.region, 'orders') }],
    ...extra,
  });
}

function s3(f, s, t, name, bucket, key, extra = {}) {
  const host = `${bucket}.s3.${f.region}.amazonaws.com`;
  const isList = name === 'ListObjects';
  const params = isList
    ? { bucketName: bucket, Host: host, 'list-type': '2', prefix: key, 'encoding-type': 'url' }
    : { bucketName: bucket, Host: host, key };
  const bytesOut = name === 'GetObject' ? int(180000, 4200000) : isList ? int(300, 4000) : 0;
  const bytesIn = name === 'PutObject' ? int(9000, 60000) : 0;
  return call(f, s, t, {
    source: 's3.amazonaws.com',
    name,
    api: 's3',
    host,
    params,
    readOnly: name !== 'PutObject',
    data: true,
    requestID: chars('0123456789ABCDEF', 16),
    additional: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: bytesIn,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': chars(B64, 76),
      bytesTransferredOut: bytesOut,
    },
    resources: [
      isList
        ? { type: 'AWS::S3::Object', ARNPrefix: `arn:aws:s3:::${bucket}/${key}` }
        : { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    ...extra,
  });
}

function ssmGetParameter(f, s, t, name, error) {
  const paramArn = `arn:aws:ssm:${f.region}:${ACCOUNT}:parameter${name}`;
  call(f, s, t, {
    source: 'ssm.amazonaws.com',
    name: 'GetParameter',
    api: 'ssm',
    host: `ssm.${f.region}.amazonaws.com`,
    params: error ? null : { name, withDecryption: true },
    readOnly: true,
    error,
    resources: error ? undefined : [{ accountId: ACCOUNT, ARN: paramArn }],
  });
  if (!error) {
    onBehalf(f, s, t + int(5, 40), 'ssm.amazonaws.com', {
      source: 'kms.amazonaws.com',
      name: 'Decrypt',
      readOnly: true,
      params: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { PARAMETER_ARN: paramArn } },
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: SSM_KEYS[f.region] }],
    });
  }
}

// --- workloads ---------------------------------------------------------------------------------

/** Invocation times for one day: Poisson per hour from a 24-value rate profile, plus bursts. */
function invocationTimes(day, profile, burst) {
  const start = ms(`${day}T00:00:00Z`);
  const times = [];
  for (let h = 0; h < 24; h++) {
    const n = poisson(profile[h]);
    for (let i = 0; i < n; i++) times.push(start + h * HOUR + Math.floor(rand() * HOUR));
    if (burst && profile[h] >= burst.minRate && chance(burst.p)) {
      const center = start + h * HOUR + Math.floor(rand() * (HOUR - 3 * MIN));
      const k = int(burst.size[0], burst.size[1]);
      for (let i = 0; i < k; i++) times.push(center + int(0, 150e3));
    }
  }
  return times.sort((a, b) => a - b);
}
/** Business-hours profile: `peak` per hour between `from` and `to` (UTC), `night` otherwise. */
function profile(from, to, peak, night) {
  return Array.from({ length: 24 }, (_, h) =>
    h >= from && h < to ? peak * (h === from || h === to - 1 ? 0.6 : 1) : night,
  );
}

let callerIdentityDone = false;
let deniedDone = false;

function ordersApi(f, day, scale) {
  const times = invocationTimes(
    day,
    profile(f.region === 'us-east-1' ? 13 : 7, f.region === 'us-east-1' ? 23 : 17, 9 * scale, 0.6 * scale),
    {
      minRate: 5,
      p: 0.25,
      size: [4, 12],
    },
  );
  const q = queueUrl(f.region, 'order-events');
  const coldStart = (s, t) => {
    let at = t + int(20, 120);
    if (!callerIdentityDone && f.region === 'us-east-1') {
      callerIdentityDone = true;
      call(f, s, at, {
        source: 'sts.amazonaws.com',
        name: 'GetCallerIdentity',
        api: 'sts',
        host: `sts.${f.region}.amazonaws.com`,
        readOnly: true,
      });
      at += int(30, 90);
    }
    call(f, s, at, {
      source: 'secretsmanager.amazonaws.com',
      name: 'GetSecretValue',
      api: 'secrets-manager',
      host: `secretsmanager.${f.region}.amazonaws.com`,
      params: { secretId: secretArn(f.region) },
      readOnly: true,
    });
    onBehalf(f, s, at + int(4, 30), 'secretsmanager.amazonaws.com', {
      source: 'kms.amazonaws.com',
      name: 'Decrypt',
      readOnly: true,
      params: {
        encryptionContext: { SecretARN: secretArn(f.region), SecretVersionId: SECRET_VERSION },
        encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      },
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KMS_KEYS[f.region] }],
    });
  };
  for (const t0 of times) {
    const s = sessionFor(f, t0, coldStart);
    let t = t0 + (s.created > t0 - 2000 ? 600 : 0) + int(3, 40);
    const r = rand();
    if (!deniedDone && f.region === 'us-east-1' && day === '2026-11-03' && t0 > ms(`${day}T15:30:00Z`)) {
      deniedDone = true;
      dynamo(f, s, t, 'GetItem', { key: { orderId: HIDDEN }, consistentRead: true });
      dynamo(
        f,
        s,
        t + int(8, 25),
        'DeleteItem',
        { key: { orderId: HIDDEN } },
        {
          error: [
            'AccessDeniedException',
            `User: arn:aws:sts::${ACCOUNT}:assumed-role/${f.role}/${f.name} is not authorized to perform: ` +
              `dynamodb:DeleteItem on resource: ${tableArn(f.region, 'orders')} with an explicit deny in an ` +
              'identity-based policy',
          ],
        },
      );
    } else if (r < 0.55) {
      dynamo(f, s, t, 'GetItem', { key: { orderId: HIDDEN }, consistentRead: false });
    } else if (r < 0.78) {
      dynamo(f, s, t, 'Query', {
        indexName: 'by-customer',
        keyConditionExpression: 'customerId = :c',
        limit: 25,
        scanIndexForward: false,
      });
    } else if (r < 0.92) {
      dynamo(f, s, t, 'PutItem', {
        key: { orderId: HIDDEN },
        conditionExpression: 'attribute_not_exists(orderId)',
      });
      t += int(8, 30);
      sendMessage(f, s, t, q);
    } else {
      dynamo(f, s, t, 'UpdateItem', {
        key: { orderId: HIDDEN },
        updateExpression: 'SET #s = :s, updatedAt = :u',
        expressionAttributeNames: { '#s': 'status' },
        returnValues: 'ALL_NEW',
      });
      t += int(8, 30);
      sendMessage(f, s, t, q);
    }
  }
}

function sendMessage(f, s, t, q) {
  call(f, s, t, {
    source: 'sqs.amazonaws.com',
    name: 'SendMessage',
    api: 'sqs',
    host: `sqs.${f.region}.amazonaws.com`,
    params: { queueUrl: q, messageBody: HIDDEN },
    readOnly: false,
  });
}

let throttleDone = false;
function imageResizer(f, day) {
  const times = invocationTimes(day, profile(12, 24, 3, 0.4), { minRate: 2, p: 0.35, size: [3, 8] });
  const coldStart = (s, t) => {
    const at = t + int(30, 150);
    if (!throttleDone && day === '2026-11-03') {
      throttleDone = true;
      ssmGetParameter(f, s, at, '/image-resizer/config', ['ThrottlingException', 'Rate exceeded']);
      ssmGetParameter(f, s, at + int(180, 450), '/image-resizer/config');
    } else {
      ssmGetParameter(f, s, at, '/image-resizer/config');
    }
  };
  for (const t0 of times) {
    const s = sessionFor(f, t0, coldStart);
    let t = t0 + (s.created > t0 - 2000 ? 900 : 0) + int(5, 40);
    const batch = int(1, 3); // SQS batch: one message per uploaded image
    for (let i = 0; i < batch; i++) {
      const id = uuid();
      const src = `incoming/${day}/${id}.jpg`;
      if (chance(0.3)) {
        s3(f, s, t, 'HeadObject', UPLOADS, src);
        t += int(10, 40);
      }
      s3(f, s, t, 'GetObject', UPLOADS, src);
      t += int(300, 1500);
      s3(f, s, t, 'PutObject', UPLOADS, `thumbnails/${day}/${id}-320w.jpg`);
      t += int(20, 80);
    }
  }
}

function reportDaily(f, day) {
  const t0 = ms(`${day}T02:00:00Z`) + int(200, 1800);
  const s = sessionFor(f, t0);
  let t = t0 + 700;
  const pages = int(3, 5);
  for (let i = 0; i < pages; i++) {
    const params = { limit: 1000, projectionExpression: 'orderId, customerId, #s, total, createdAt' };
    if (i > 0) params.exclusiveStartKey = { orderId: HIDDEN };
    dynamo(f, s, t, 'Scan', params);
    t += int(400, 1800);
  }
  const prev = iso(ms(`${day}T00:00:00Z`) - 24 * HOUR).slice(0, 10);
  s3(f, s, t, 'PutObject', REPORTS, `daily/${prev}/orders-summary.json`);
  t += int(100, 400);
  s3(f, s, t, 'PutObject', REPORTS, `daily/${prev}/orders.csv`);
  t += int(100, 300);
  call(f, s, t, {
    source: 'sns.amazonaws.com',
    name: 'Publish',
    api: 'sns',
    host: `sns.${f.region}.amazonaws.com`,
    params: { topicArn: REPORT_TOPIC, subject: `Daily orders report ${prev}`, message: HIDDEN },
    readOnly: false,
    data: true,
    resources: [{ accountId: ACCOUNT, type: 'AWS::SNS::Topic', ARN: REPORT_TOPIC }],
  });
}

function reportWeekly(f, day) {
  if (new Date(`${day}T00:00:00Z`).getUTCDay() !== 1) return; // Mondays
  const t0 = ms(`${day}T03:00:00Z`) + int(200, 1800);
  const s = sessionFor(f, t0);
  let t = t0 + 650;
  ssmGetParameter(f, s, t, '/reports/config');
  t += int(200, 500);
  s3(f, s, t, 'ListObjects', REPORTS, 'weekly/');
  for (let d = 7; d >= 1; d--) {
    t += int(60, 300);
    const date = iso(ms(`${day}T00:00:00Z`) - d * 24 * HOUR).slice(0, 10);
    s3(f, s, t, 'GetObject', REPORTS, `daily/${date}/orders-summary.json`);
  }
}

// --- noise: not any function's doing -----------------------------------------------------------

function human(identity, t, region, o) {
  const e = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: iso(t),
    eventSource: o.source,
    eventName: o.name,
    awsRegion: region,
    sourceIPAddress: o.ip,
    userAgent: o.ua,
    requestParameters: o.params === undefined ? null : o.params,
    responseElements: o.response === undefined ? null : o.response,
    requestID: uuid(),
    eventID: uuid(),
    readOnly: o.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
  if (o.sessionCredentialFromConsole) e.sessionCredentialFromConsole = 'true';
  e.tlsDetails = tls(o.host);
  events.push(e);
}

function deployer() {
  const id = {
    type: 'IAMUser',
    principalId: DEPLOYER.id,
    arn: `arn:aws:iam::${ACCOUNT}:user/${DEPLOYER.name}`,
    accountId: ACCOUNT,
    accessKeyId: DEPLOYER.key,
    userName: DEPLOYER.name,
  };
  const ua =
    'aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1017-azure md/arch#x86_64 lang/python#3.12.6 ' +
    'md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#lambda.update-function-code';
  const f = findFn('image-resizer', 'us-east-1');
  let t = ms('2026-11-03T10:21:07Z');
  const ip = '20.42.113.9'; // CI runner
  human(id, t, 'us-east-1', {
    source: 'iam.amazonaws.com',
    name: 'GetRole',
    ip,
    ua: ua.replace('lambda.update-function-code', 'iam.get-role'),
    host: 'iam.amazonaws.com',
    params: { roleName: f.role },
    readOnly: true,
  });
  t += 4100;
  human(id, t, 'us-east-1', {
    source: 'lambda.amazonaws.com',
    name: 'UpdateFunctionCode20150331v2',
    ip,
    ua,
    host: 'lambda.us-east-1.amazonaws.com',
    params: {
      fullyQualifiedArn: {
        arnPrefix: { partition: 'aws', region: 'us-east-1', account: ACCOUNT },
        relativeId: { functionName: f.name },
        functionQualifier: {},
      },
      functionName: f.name,
      publish: false,
      dryRun: false,
    },
    response: {
      functionName: f.name,
      functionArn: fnArn(f),
      runtime: 'python3.12',
      role: roleArn(f.role),
      handler: 'app.handler',
      codeSize: 48213,
      version: '$LATEST',
      state: 'Active',
      lastUpdateStatus: 'InProgress',
      lastUpdateStatusReason: 'The function is being created.',
      lastUpdateStatusReasonCode: 'Creating',
    },
    readOnly: false,
  });
}

function ssoConsole() {
  const session = 'alex.rivera';
  const creation = ms('2026-11-02T14:02:41Z');
  const id = {
    type: 'AssumedRole',
    principalId: `${SSO_ROLE_ID}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${SSO_ROLE}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIA' + chars(UPPER_ALNUM, 16),
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: SSO_ROLE_ID,
        arn: SSO_ROLE_ARN,
        accountId: ACCOUNT,
        userName: SSO_ROLE,
      },
      webIdFederationData: {},
      attributes: { creationDate: iso(creation), mfaAuthenticated: 'false' },
    },
  };
  const ua =
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
  const ip = '198.51.100.23';
  const base = { ip, ua, readOnly: true, sessionCredentialFromConsole: true };
  let t = creation + 35e3;
  human(id, t, 'eu-west-1', {
    ...base,
    source: 'lambda.amazonaws.com',
    name: 'ListFunctions20150331',
    host: 'lambda.eu-west-1.amazonaws.com',
    params: { functionVersion: 'ALL', maxItems: 50 },
  });
  t += 9e3;
  human(id, t, 'eu-west-1', {
    ...base,
    source: 'lambda.amazonaws.com',
    name: 'GetFunction20150331v2',
    host: 'lambda.eu-west-1.amazonaws.com',
    params: { functionName: 'report-daily' },
  });
  t += 64e3;
  human(id, t, 'eu-west-1', {
    ...base,
    source: 'dynamodb.amazonaws.com',
    name: 'DescribeTable',
    host: 'dynamodb.eu-west-1.amazonaws.com',
    params: { tableName: 'orders' },
  });
  t += 120e3;
  human(id, t, 'us-east-1', {
    ...base,
    source: 'iam.amazonaws.com',
    name: 'ListRoles',
    host: 'iam.amazonaws.com',
    params: { maxItems: 1000 },
  });
  t += 15e3;
  human(id, t, 'us-east-1', {
    ...base,
    source: 'iam.amazonaws.com',
    name: 'GetRole',
    host: 'iam.amazonaws.com',
    params: { roleName: 'legacy-cron-role' },
  });
}

// ---------------------------------------------------------------------------------------------
// Build the trail

function buildTrail() {
  for (const day of DAYS) {
    ordersApi(findFn('orders-api', 'us-east-1'), day, 1);
    ordersApi(findFn('orders-api', 'eu-west-1'), day, 0.35);
    if (day === '2026-11-03') deployer();
    imageResizer(findFn('image-resizer', 'us-east-1'), day);
    reportDaily(findFn('report-daily', 'eu-west-1'), day);
    reportWeekly(findFn('report-weekly', 'eu-west-1'), day);
    if (day === '2026-11-02') ssoConsole();
  }
  // Stable order: time, then event id.
  events.sort((a, b) =>
    a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventID < b.eventID ? -1 : 1,
  );
}

/** Groups events into delivery files: per region and 30-minute window, larger windows split in two. */
function deliveryFiles() {
  const groups = new Map();
  for (const e of events) {
    const t = ms(e.eventTime);
    const w = t - (t % (30 * MIN));
    const k = `${e.awsRegion}|${w}`;
    if (!groups.has(k)) groups.set(k, { region: e.awsRegion, window: w, records: [] });
    groups.get(k).records.push(e);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const [ra, wa] = a.split('|');
    const [rb, wb] = b.split('|');
    return ra < rb ? -1 : ra > rb ? 1 : Number(wa) - Number(wb);
  });
  const files = [];
  for (const k of keys) {
    const g = groups.get(k);
    const parts = g.records.length > 30 ? [[], []] : [[]];
    for (const e of g.records) parts[parts.length === 1 ? 0 : int(0, 1)].push(e);
    let stamp = g.window + 30 * MIN + int(2, 6) * MIN;
    const dayEnd = g.window - (g.window % (24 * HOUR)) + 24 * HOUR;
    if (stamp >= dayEnd) stamp = dayEnd - 2 * MIN; // keep the last window in its own day's folder
    for (const records of parts.filter((p) => p.length > 0)) {
      const d = new Date(stamp).toISOString();
      const ymd = d.slice(0, 10).replace(/-/g, '');
      const hm = d.slice(11, 16).replace(':', '');
      const name = `${ACCOUNT}_CloudTrail_${g.region}_${ymd}T${hm}Z_${chars(ALNUM, 16)}.json.gz`;
      const dir = `trail/AWSLogs/${ACCOUNT}/CloudTrail/${g.region}/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}`;
      files.push({ rel: `${dir}/${name}`, region: g.region, stamp, records });
    }
  }
  return files;
}

function digestFile(files) {
  // One hourly digest for us-east-1, 2026-11-02 14:00-15:00 (as CloudTrail writes them; tools skip these).
  const start = ms('2026-11-02T14:00:00Z');
  const end = start + HOUR;
  const covered = files.filter((f) => f.region === 'us-east-1' && f.stamp > start && f.stamp <= end);
  const digestKey = (t) =>
    `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/${iso(t).slice(0, 10).replace(/-/g, '/')}/` +
    `${ACCOUNT}_CloudTrail-Digest_us-east-1_${TRAIL_NAME}_us-east-1_${iso(t).replace(/[-:]/g, '')}.json.gz`;
  const digest = {
    awsAccountId: ACCOUNT,
    digestStartTime: iso(start),
    digestEndTime: iso(end),
    digestS3Bucket: TRAIL_BUCKET,
    digestS3Object: digestKey(end),
    digestPublicKeyFingerprint: hex(32),
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: covered.length ? covered[covered.length - 1].records.slice(-1)[0].eventTime : null,
    oldestEventTime: covered.length ? covered[0].records[0].eventTime : null,
    previousDigestS3Bucket: TRAIL_BUCKET,
    previousDigestS3Object: digestKey(start),
    previousDigestHashValue: hex(64),
    previousDigestHashAlgorithm: 'SHA-256',
    previousDigestSignature: hex(512),
    logFiles: covered.map((f) => ({
      s3Bucket: TRAIL_BUCKET,
      s3Object: f.rel.replace(/^trail\//, ''),
      hashValue: crypto.createHash('sha256').update(f.body).digest('hex'),
      hashAlgorithm: 'SHA-256',
      newestEventTime: f.records[f.records.length - 1].eventTime,
      oldestEventTime: f.records[0].eventTime,
    })),
  };
  return { rel: `trail/${digestKey(end)}`, body: JSON.stringify(digest) };
}

// ---------------------------------------------------------------------------------------------
// Account snapshot

/**
 * Managed policies attached in the sample account. The four AWS managed Lambda documents are from
 * iann0036/iam-dataset aws/managedpolicies (MIT; content published by AWS), as vendored in
 * shared/iam-mapping/aws-managed-policies-lambda-execution.json; AmazonDynamoDBFullAccess is abbreviated.
 */
const doc = (...Statement) => ({ Version: '2012-10-17', Statement });
const LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const awsPolicy = (arn, id, created, updated, document) => ({
  arn,
  created,
  updated,
  versions: [{ id, default: true, created: updated, document }],
});
const MANAGED = {
  AWSLambdaBasicExecutionRole: awsPolicy(
    'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    'v1',
    '2015-04-09T15:03:43+00:00',
    '2015-04-09T15:03:43+00:00',
    { Statement: [{ Action: LOGS, Effect: 'Allow', Resource: '*' }], Version: '2012-10-17' },
  ),
  AWSLambdaVPCAccessExecutionRole: awsPolicy(
    'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
    'v3',
    '2016-02-11T23:15:26+00:00',
    '2024-01-05T22:38:42+00:00',
    {
      Statement: [
        {
          Action: [
            ...LOGS,
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          Effect: 'Allow',
          Resource: '*',
          Sid: 'AWSLambdaVPCAccessExecutionPermissions',
        },
      ],
      Version: '2012-10-17',
    },
  ),
  AWSXRayDaemonWriteAccess: awsPolicy(
    'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess',
    'v2',
    '2018-08-28T23:00:33+00:00',
    '2024-02-27T20:52:46+00:00',
    {
      Statement: [
        {
          Action: [
            'xray:PutTraceSegments',
            'xray:PutTelemetryRecords',
            'xray:GetSamplingRules',
            'xray:GetSamplingTargets',
            'xray:GetSamplingStatisticSummaries',
          ],
          Effect: 'Allow',
          Resource: ['*'],
          Sid: 'AWSXRayDaemonWriteAccess',
        },
      ],
      Version: '2012-10-17',
    },
  ),
  AWSLambdaSQSQueueExecutionRole: awsPolicy(
    'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
    'v1',
    '2018-06-14T21:50:45+00:00',
    '2018-06-14T21:50:45+00:00',
    {
      Statement: [
        {
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS],
          Effect: 'Allow',
          Resource: '*',
        },
      ],
      Version: '2012-10-17',
    },
  ),
  AmazonDynamoDBFullAccess: awsPolicy(
    'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
    'v24',
    '2015-02-06T18:40:11+00:00',
    '2025-05-01T17:12:39+00:00',
    doc(
      {
        Action: [
          'dynamodb:*',
          'dax:*',
          'application-autoscaling:DeleteScalingPolicy',
          'application-autoscaling:DescribeScalableTargets',
          'application-autoscaling:PutScalingPolicy',
          'application-autoscaling:RegisterScalableTarget',
          'cloudwatch:DeleteAlarms',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:GetMetricData',
          'cloudwatch:PutMetricAlarm',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcs',
          'kms:DescribeKey',
          'kms:ListAliases',
          'sns:CreateTopic',
          'sns:ListSubscriptionsByTopic',
          'sns:ListTopics',
          'sns:Subscribe',
          'lambda:CreateFunction',
          'lambda:ListFunctions',
          'lambda:ListEventSourceMappings',
          'lambda:CreateEventSourceMapping',
          'lambda:DeleteEventSourceMapping',
          'iam:GetRole',
          'iam:ListRoles',
        ],
        Effect: 'Allow',
        Resource: '*',
      },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: '*',
        Condition: {
          StringLike: {
            'iam:PassedToService': ['application-autoscaling.amazonaws.com', 'dax.amazonaws.com'],
          },
        },
      },
    ),
  ),
  AdministratorAccess: awsPolicy(
    'arn:aws:iam::aws:policy/AdministratorAccess',
    'v1',
    '2015-02-06T18:39:46+00:00',
    '2015-02-06T18:39:46+00:00',
    doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  ),
  'acme-orders-table-access': {
    arn: `arn:aws:iam::${ACCOUNT}:policy/acme-orders-table-access`,
    created: '2025-02-11T09:14:50+00:00',
    updated: '2025-07-08T13:27:05+00:00',
    versions: [
      {
        id: 'v1',
        created: '2025-02-11T09:14:50+00:00',
        document: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }),
      },
      {
        id: 'v2',
        default: true,
        created: '2025-07-08T13:27:05+00:00',
        document: doc({
          Sid: 'OrdersTable',
          Effect: 'Allow',
          Action: [
            'dynamodb:BatchGetItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:DescribeTable',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:Scan',
            'dynamodb:UpdateItem',
          ],
          Resource: [
            `arn:aws:dynamodb:*:${ACCOUNT}:table/orders`,
            `arn:aws:dynamodb:*:${ACCOUNT}:table/orders/index/*`,
          ],
        }),
      },
    ],
  },
};

function lastUsed(arn) {
  let last;
  for (const e of events) {
    const issuer = e.userIdentity.sessionContext && e.userIdentity.sessionContext.sessionIssuer;
    if (issuer && issuer.arn === arn) last = e;
  }
  return last ? { LastUsedDate: cliDate(ms(last.eventTime)), Region: last.awsRegion } : {};
}

const lambdaTrust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function authorizationDetails() {
  const P = (name) => MANAGED[name].arn;
  const roles = [
    {
      name: 'orders-api-role',
      attached: [
        'AWSLambdaBasicExecutionRole',
        'AWSLambdaVPCAccessExecutionRole',
        'AWSXRayDaemonWriteAccess',
        'AmazonDynamoDBFullAccess',
        'acme-orders-table-access',
      ],
      inline: {
        'orders-api-runtime': {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Queue',
              Effect: 'Allow',
              Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
              Resource: `arn:aws:sqs:*:${ACCOUNT}:order-events`,
            },
            {
              Sid: 'DbSecret',
              Effect: 'Allow',
              Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
              Resource: `arn:aws:secretsmanager:*:${ACCOUNT}:secret:prod/orders/*`,
            },
            { Sid: 'Kms', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' },
            { Sid: 'Sts', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
            {
              Sid: 'DenyOrderDeletion',
              Effect: 'Deny',
              Action: 'dynamodb:DeleteItem',
              Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/orders`,
            },
          ],
        },
      },
    },
    {
      name: 'image-resizer-role',
      attached: ['AWSLambdaBasicExecutionRole', 'AWSLambdaSQSQueueExecutionRole'],
      inline: {
        's3-access': {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        },
        config: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
              Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/image-resizer/*`,
            },
          ],
        },
      },
    },
    {
      name: 'reports-role',
      attached: ['AWSLambdaBasicExecutionRole', 'acme-orders-table-access'],
      inline: {
        reports: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Bucket',
              Effect: 'Allow',
              Action: 's3:*',
              Resource: [`arn:aws:s3:::${REPORTS}`, `arn:aws:s3:::${REPORTS}/*`],
            },
            { Sid: 'Notify', Effect: 'Allow', Action: ['sns:Publish', 'sns:ListTopics'], Resource: '*' },
            {
              Sid: 'Config',
              Effect: 'Allow',
              Action: ['ssm:GetParameter*', 'ssm:DescribeParameters'],
              Resource: '*',
            },
            { Sid: 'Decrypt', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
            {
              Sid: 'DeadLetters',
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:report-daily-dlq`,
            },
          ],
        },
      },
    },
    {
      name: 'etl-legacy-role',
      attached: ['AWSLambdaBasicExecutionRole'],
      inline: {
        'read-exports': {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:ListBucket'],
              Resource: [`arn:aws:s3:::acme-exports-${ACCOUNT}`, `arn:aws:s3:::acme-exports-${ACCOUNT}/*`],
            },
          ],
        },
      },
      lastUsed: { LastUsedDate: '2025-06-30T04:00:03+00:00', Region: 'eu-west-1' },
    },
    {
      name: 'ingest-backfill-role',
      attached: ['AWSLambdaBasicExecutionRole'],
      inline: {},
      lastUsed: {},
    },
    {
      name: 'orders-webhook-role',
      attached: ['AWSLambdaBasicExecutionRole'],
      inline: {},
      lastUsed: {},
    },
    {
      name: 'legacy-cron-role',
      attached: ['AWSLambdaBasicExecutionRole'],
      inline: {
        'ebs-snapshots': {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'ec2:DescribeVolumes',
                'ec2:DescribeSnapshots',
                'ec2:CreateSnapshot',
                'ec2:DeleteSnapshot',
                'ec2:CreateTags',
              ],
              Resource: '*',
            },
          ],
        },
      },
      lastUsed: { LastUsedDate: '2025-03-14T06:00:12+00:00', Region: 'us-east-1' },
    },
  ];
  const RoleDetailList = roles.map((r) => ({
    Path: '/',
    RoleName: r.name,
    RoleId: ROLES[r.name].id,
    Arn: roleArn(r.name),
    CreateDate: cliDate(ms(ROLES[r.name].created)),
    AssumeRolePolicyDocument: lambdaTrust,
    InstanceProfileList: [],
    RolePolicyList: Object.entries(r.inline).map(([PolicyName, PolicyDocument]) => ({
      PolicyName,
      PolicyDocument,
    })),
    AttachedManagedPolicies: r.attached.map((n) => ({ PolicyName: n, PolicyArn: P(n) })),
    Tags: [
      {
        Key: 'team',
        Value: r.name.startsWith('orders')
          ? 'orders'
          : r.name.startsWith('image')
            ? 'media'
            : r.name.startsWith('reports')
              ? 'analytics'
              : 'platform',
      },
    ],
    RoleLastUsed: r.lastUsed || lastUsed(roleArn(r.name)),
  }));
  RoleDetailList.push({
    Path: '/aws-reserved/sso.amazonaws.com/',
    RoleName: SSO_ROLE,
    RoleId: SSO_ROLE_ID,
    Arn: SSO_ROLE_ARN,
    CreateDate: '2024-09-30T08:12:40+00:00',
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_3f9c1e2d7a4b5c60_DO_NOT_DELETE`,
          },
          Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        },
      ],
    },
    InstanceProfileList: [],
    RolePolicyList: [],
    AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: P('AdministratorAccess') }],
    Tags: [],
    RoleLastUsed: lastUsed(SSO_ROLE_ARN),
  });
  RoleDetailList.push({
    Path: '/aws-service-role/support.amazonaws.com/',
    RoleName: SUPPORT_SLR,
    RoleId: 'AROA5SUPPORTSLR00001',
    Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/${SUPPORT_SLR}`,
    CreateDate: '2023-01-10T12:00:00+00:00',
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    },
    InstanceProfileList: [],
    RolePolicyList: [],
    // Its AWS managed policy (AWSSupportServiceRolePolicy) is left out of the sample.
    AttachedManagedPolicies: [],
    Tags: [],
    RoleLastUsed: {},
  });
  RoleDetailList.sort((a, b) => (a.RoleName < b.RoleName ? -1 : 1));

  const attachCount = {};
  for (const r of RoleDetailList)
    for (const a of r.AttachedManagedPolicies)
      attachCount[a.PolicyName] = (attachCount[a.PolicyName] || 0) + 1;
  const Policies = Object.keys(attachCount)
    .sort()
    .map((name) => {
      const m = MANAGED[name];
      const pathPart = m.arn.replace(/^arn:aws:iam::[^:]*:policy/, '').replace(/[^/]*$/, '');
      return {
        PolicyName: name,
        PolicyId: 'ANPA' + chars(UPPER_ALNUM, 17),
        Arn: m.arn,
        Path: pathPart,
        DefaultVersionId: m.versions.find((v) => v.default).id,
        AttachmentCount: attachCount[name],
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        CreateDate: m.created,
        UpdateDate: m.updated,
        PolicyVersionList: m.versions
          .slice()
          .reverse()
          .map((v) => ({
            Document: v.document,
            VersionId: v.id,
            IsDefaultVersion: !!v.default,
            CreateDate: v.created,
          })),
      };
    });

  const UserDetailList = [
    {
      Path: '/',
      UserName: DEPLOYER.name,
      UserId: DEPLOYER.id,
      Arn: `arn:aws:iam::${ACCOUNT}:user/${DEPLOYER.name}`,
      CreateDate: '2024-11-18T16:45:03+00:00',
      UserPolicyList: [
        {
          PolicyName: 'deploy-lambdas',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'lambda:GetFunction',
                  'lambda:GetFunctionConfiguration',
                  'lambda:UpdateFunctionCode',
                  'lambda:UpdateFunctionConfiguration',
                ],
                Resource: `arn:aws:lambda:*:${ACCOUNT}:function:*`,
              },
              {
                Effect: 'Allow',
                Action: ['iam:GetRole', 'iam:PassRole'],
                Resource: `arn:aws:iam::${ACCOUNT}:role/*-role`,
              },
            ],
          },
        },
      ],
      GroupList: [],
      AttachedManagedPolicies: [],
      Tags: [{ Key: 'purpose', Value: 'ci-deploy' }],
    },
  ];
  return { UserDetailList, GroupDetailList: [], RoleDetailList, Policies };
}

function functionConfig(f) {
  const common = {
    FunctionName: f.name,
    FunctionArn: fnArn(f),
    Runtime:
      { 'orders-api': 'nodejs20.x', 'image-resizer': 'python3.12', 'legacy-cron': 'python3.9' }[f.name] ||
      'nodejs20.x',
    Role: roleArn(f.role),
    Handler:
      f.name === 'image-resizer' ? 'app.handler' : f.name === 'legacy-cron' ? 'cron.main' : 'index.handler',
    CodeSize: int(4000, 900000),
    Description: {
      'orders-api': 'Orders REST API (API Gateway proxy)',
      'image-resizer': 'Makes thumbnails of uploaded images (SQS image-jobs)',
      'report-daily': 'Nightly orders summary to S3 + SNS',
      'report-weekly': 'Weekly roll-up of the daily reports',
      'legacy-cron': 'Old EBS snapshot job (replaced by AWS Backup)',
    }[f.name],
    Timeout: {
      'orders-api': 10,
      'image-resizer': 60,
      'report-daily': 300,
      'report-weekly': 300,
      'legacy-cron': 120,
    }[f.name],
    MemorySize: {
      'orders-api': 512,
      'image-resizer': 1536,
      'report-daily': 1024,
      'report-weekly': 512,
      'legacy-cron': 128,
    }[f.name],
    LastModified:
      f.name === 'legacy-cron'
        ? '2024-02-07T09:12:44.000+0000'
        : f.name === 'image-resizer'
          ? '2026-11-03T10:21:11.000+0000'
          : '2026-10-27T16:03:52.000+0000',
    CodeSha256: Buffer.from(hex(64), 'hex').toString('base64'),
    Version: '$LATEST',
  };
  if (f.name === 'orders-api') {
    common.VpcConfig = {
      SubnetIds: [`subnet-0${hex(16)}`, `subnet-0${hex(16)}`],
      SecurityGroupIds: [`sg-0${hex(16)}`],
      VpcId: `vpc-0${hex(16)}`,
      Ipv6AllowedForDualStack: false,
    };
  }
  const env = {
    'orders-api': {
      TABLE_NAME: 'orders',
      QUEUE_URL: queueUrl(f.region, 'order-events'),
      DB_SECRET_ID: secretArn(f.region),
      POWERTOOLS_SERVICE_NAME: 'orders-api',
      NODE_OPTIONS: '--enable-source-maps',
    },
    'image-resizer': {
      BUCKET: UPLOADS,
      THUMBNAIL_PREFIX: 'thumbnails/',
      CONFIG_PARAMETER: '/image-resizer/config',
    },
    'report-daily': { TABLE_NAME: 'orders', REPORT_BUCKET: REPORTS, TOPIC_ARN: REPORT_TOPIC },
    // A CloudFormation dynamic reference left unresolved: a reference, not a value (audit: fine).
    'report-weekly': {
      REPORT_BUCKET: REPORTS,
      CONFIG_PARAMETER: '/reports/config',
      SMTP_PASSWORD: `{{resolve:secretsmanager:${SMTP_SECRET_NAME}:SecretString:password}}`,
    },
    // A long-term access key pasted into the configuration (audit: a finding). Made up: the key
    // id has the shape AKIA[0-9A-Z]{16} but is not AWS's documented example.
    'legacy-cron': {
      RETENTION_DAYS: '14',
      BACKUP_AWS_ACCESS_KEY_ID: LEGACY_ACCESS_KEY_ID,
      BACKUP_AWS_SECRET_ACCESS_KEY: LEGACY_SECRET_ACCESS_KEY,
    },
  }[f.name];
  common.Environment = { Variables: env };
  common.TracingConfig = { Mode: f.name === 'orders-api' ? 'Active' : 'PassThrough' };
  if (f.name === 'report-daily')
    common.DeadLetterConfig = { TargetArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:report-daily-dlq` };
  common.RevisionId = uuid();
  common.PackageType = 'Zip';
  common.Architectures = [f.name === 'legacy-cron' ? 'x86_64' : 'arm64'];
  common.EphemeralStorage = { Size: f.name === 'image-resizer' ? 2048 : 512 };
  common.SnapStart = { ApplyOn: 'None', OptimizationStatus: 'Off' };
  const shared = f.name.startsWith('report-');
  common.LoggingConfig = {
    LogFormat: shared || f.name === 'orders-api' ? 'JSON' : 'Text',
    ...(shared || f.name === 'orders-api' ? { ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' } : {}),
    LogGroup: shared ? '/acme/reports' : `/aws/lambda/${f.name}`,
  };
  return common;
}

/**
 * A function deployed on 2026-11-20, after the trail's days: it has not run yet. Fixed values (no
 * draw from the PRNG), so that every other value of the samples stays as it was.
 */
const INGEST_BACKFILL = {
  FunctionName: 'ingest-backfill',
  FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ingest-backfill`,
  Runtime: 'python3.12',
  Role: roleArn('ingest-backfill-role'),
  Handler: 'backfill.main',
  CodeSize: 48213,
  Description: 'One-off backfill of the orders archive (deployed, not run yet)',
  Timeout: 900,
  MemorySize: 1024,
  LastModified: '2026-11-20T10:05:31.000+0000',
  CodeSha256: 'q0tQ7m0kq2bA4s8Xo3cQeYkq5Jm8vLwz8nJ2Yp5cR1E=',
  Version: '$LATEST',
  Environment: { Variables: { ARCHIVE_BUCKET: `acme-exports-${ACCOUNT}` } },
  TracingConfig: { Mode: 'PassThrough' },
  RevisionId: '5b0f3f4e-2a51-4c1b-9f0e-6a2d7c9b1e42',
  PackageType: 'Zip',
  Architectures: ['arm64'],
  EphemeralStorage: { Size: 512 },
  SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/ingest-backfill' },
};

/**
 * A payment provider's webhook receiver, deployed on 2026-11-19 after the trail's days, behind a
 * public function URL (AuthType NONE, CORS `*`): the audit's public-URL case. Fixed values, like
 * ingest-backfill.
 */
const WEBHOOK_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-webhook`;
const ORDERS_WEBHOOK = {
  FunctionName: 'orders-webhook',
  FunctionArn: WEBHOOK_ARN,
  Runtime: 'nodejs20.x',
  Role: roleArn('orders-webhook-role'),
  Handler: 'index.handler',
  CodeSize: 18342,
  Description: 'Payment provider webhook (public function URL)',
  Timeout: 10,
  MemorySize: 256,
  LastModified: '2026-11-19T14:22:08.000+0000',
  CodeSha256: 'Vw3p9sK2bQ7mZx4cT8nR1yF6hL0dJ5gA2eU9oI3kW7M=',
  Version: '$LATEST',
  Environment: { Variables: { PROVIDER: 'acme-pay', SIGNING_SECRET_ARN: WEBHOOK_SECRET_ARN } },
  TracingConfig: { Mode: 'PassThrough' },
  RevisionId: '9d3c1b7a-4e2f-4a86-8c5d-0f1e2a3b4c5d',
  PackageType: 'Zip',
  Architectures: ['arm64'],
  EphemeralStorage: { Size: 512 },
  SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/orders-webhook' },
};

const lambdaArn = (region, name) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;

/** A statement of a Lambda resource policy, as `aws lambda add-permission` writes it. */
function permission(region, name, sid, principal, action, condition) {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: principal,
    Action: action,
    Resource: lambdaArn(region, name),
    ...(condition ? { Condition: condition } : {}),
  };
}

/**
 * `aws lambda get-policy` of each function that has a resource policy, by function name
 * (docs/snapshot.md); the Policy is a JSON string, as Lambda returns it. ingest-backfill has none
 * (get-policy: ResourceNotFoundException).
 */
function functionPolicies(region) {
  const policies = {
    'us-east-1': {
      // The S3 trigger of image-resizer's first version, left behind: any bucket's notifications
      // may invoke it (no aws:SourceArn / aws:SourceAccount): the confused-deputy case.
      'image-resizer': [
        permission(
          region,
          'image-resizer',
          's3-incoming-trigger',
          { Service: 's3.amazonaws.com' },
          'lambda:InvokeFunction',
        ),
      ],
      'legacy-cron': [
        permission(
          region,
          'legacy-cron',
          'nightly-schedule',
          { Service: 'events.amazonaws.com' },
          'lambda:InvokeFunction',
          {
            ArnLike: { 'AWS:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT}:rule/legacy-cron-nightly` },
          },
        ),
      ],
      'orders-api': [
        permission(
          region,
          'orders-api',
          'orders-api-gateway',
          { Service: 'apigateway.amazonaws.com' },
          'lambda:InvokeFunction',
          {
            ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${ACCOUNT}:k2x8q4m7ze/*/*/orders*` },
          },
        ),
      ],
      // What the console adds for a function URL with auth type NONE.
      'orders-webhook': [
        permission(
          region,
          'orders-webhook',
          'FunctionURLAllowPublicAccess',
          '*',
          'lambda:InvokeFunctionUrl',
          {
            StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' },
          },
        ),
      ],
    },
    'eu-west-1': {
      'orders-api': [
        permission(
          region,
          'orders-api',
          'orders-api-gateway',
          { Service: 'apigateway.amazonaws.com' },
          'lambda:InvokeFunction',
          {
            ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:eu-west-1:${ACCOUNT}:p5w1n9c3ry/*/*/orders*` },
          },
        ),
      ],
      'report-daily': [
        permission(
          region,
          'report-daily',
          'daily-schedule',
          { Service: 'events.amazonaws.com' },
          'lambda:InvokeFunction',
          {
            ArnLike: { 'AWS:SourceArn': `arn:aws:events:eu-west-1:${ACCOUNT}:rule/report-daily` },
          },
        ),
      ],
      'report-weekly': [
        permission(
          region,
          'report-weekly',
          'weekly-schedule',
          { Service: 'events.amazonaws.com' },
          'lambda:InvokeFunction',
          {
            ArnLike: { 'AWS:SourceArn': `arn:aws:events:eu-west-1:${ACCOUNT}:rule/report-weekly` },
            StringEquals: { 'AWS:SourceAccount': ACCOUNT },
          },
        ),
      ],
    },
  }[region];
  const revisions = ['1f4e2c3a', '2b7d9e01', '3c8a0f12', '4d9b1a23', '5e0c2b34', '6f1d3c45', '7a2e4d56'];
  let n = 0;
  const out = {};
  for (const [name, statements] of Object.entries(policies)) {
    const id = revisions[n++ % revisions.length];
    out[name] = {
      Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }),
      RevisionId: `${id}-5a6b-4c7d-8e9f-${region === 'us-east-1' ? '0a1b2c3d4e5f' : '6a7b8c9d0e1f'}`,
    };
  }
  return out;
}

/**
 * `aws lambda list-function-url-configs` of each function of the region, by function name: only
 * orders-webhook has URLs (the function's, public, and its alias `live`'s, with IAM auth).
 */
function functionUrlConfigs(region, names) {
  const out = {};
  for (const name of names) out[name] = { FunctionUrlConfigs: [] };
  if (region === 'us-east-1')
    out['orders-webhook'].FunctionUrlConfigs = [
      {
        FunctionUrl: 'https://k7r2m9q4w8p1z6v5n0b3c8d4f6g1h2j5.lambda-url.us-east-1.on.aws/',
        FunctionArn: WEBHOOK_ARN,
        AuthType: 'NONE',
        Cors: {
          AllowCredentials: false,
          AllowHeaders: ['content-type', 'x-acme-signature'],
          AllowMethods: ['POST'],
          AllowOrigins: ['*'],
          MaxAge: 300,
        },
        CreationTime: '2026-11-19T14:25:41.118412Z',
        LastModifiedTime: '2026-11-19T14:25:41.118412Z',
        InvokeMode: 'BUFFERED',
      },
      {
        FunctionUrl: 'https://x4c8v2b6n1m5q9w3e7r0t4y8u2i6o1p3.lambda-url.us-east-1.on.aws/',
        FunctionArn: `${WEBHOOK_ARN}:live`,
        AuthType: 'AWS_IAM',
        CreationTime: '2026-11-19T14:31:02.504730Z',
        LastModifiedTime: '2026-11-19T14:31:02.504730Z',
        InvokeMode: 'BUFFERED',
      },
    ];
  return out;
}

/**
 * `aws secretsmanager list-secrets` of the region (metadata only: it returns no secret value).
 * `prod/orders/db` (read by orders-api) is encrypted with the AWS managed key aws/secretsmanager
 * (no KmsKeyId; its eu-west-1 replica too): the audit's finding; the others use customer managed
 * keys.
 */
function secretList(region) {
  const ordersDb = {
    ARN: secretArn(region),
    Name: SECRET_NAME,
    Description: 'Orders database credentials',
    LastChangedDate: '2026-10-27T16:01:12.512000+00:00',
    LastAccessedDate: '2026-11-04T00:00:00+00:00',
    Tags: [{ Key: 'team', Value: 'orders' }],
    SecretVersionsToStages: { [SECRET_VERSION]: ['AWSCURRENT'] },
    CreatedDate: '2025-02-11T09:20:31.204000+00:00',
    ...(region === 'eu-west-1' ? { PrimaryRegion: 'us-east-1' } : {}),
  };
  const other =
    region === 'us-east-1'
      ? {
          ARN: WEBHOOK_SECRET_ARN,
          Name: WEBHOOK_SECRET_NAME,
          Description: 'Signing key of the payment provider webhook',
          KmsKeyId: CUSTOMER_KEYS[region],
          LastChangedDate: '2026-11-19T14:10:55.301000+00:00',
          Tags: [{ Key: 'team', Value: 'orders' }],
          SecretVersionsToStages: { 'b6c1d2e3-f4a5-4b6c-9d7e-8f9a0b1c2d3e': ['AWSCURRENT'] },
          CreatedDate: '2026-11-19T14:10:55.301000+00:00',
        }
      : {
          ARN: SMTP_SECRET_ARN,
          Name: SMTP_SECRET_NAME,
          Description: 'SMTP credentials of the weekly report mail',
          KmsKeyId: CUSTOMER_KEYS[region],
          LastChangedDate: '2025-06-19T11:20:04.117000+00:00',
          LastAccessedDate: '2026-11-02T00:00:00+00:00',
          Tags: [{ Key: 'team', Value: 'analytics' }],
          SecretVersionsToStages: { 'c7d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f': ['AWSCURRENT'] },
          CreatedDate: '2025-06-19T11:20:04.117000+00:00',
        };
  return { SecretList: [ordersDb, other].sort((a, b) => (a.Name < b.Name ? -1 : 1)) };
}

/**
 * `aws cloudwatch get-metric-data` of the Invocations sums per day of the us-east-1 functions
 * (docs/snapshot.md): the days the trail covers; CloudWatch returns no datapoint for a day
 * without invocations, so legacy-cron and ingest-backfill have none.
 */
function invocationsExport() {
  const days = ['2026-11-04T00:00:00+00:00', '2026-11-03T00:00:00+00:00', '2026-11-02T00:00:00+00:00'];
  const result = (name, values) => ({
    Id: name.replace(/-/g, '_'),
    Label: name,
    Timestamps: values.length > 0 ? days : [],
    Values: values,
    StatusCode: 'Complete',
  });
  return {
    MetricDataResults: [
      result('image-resizer', [131, 118, 122]),
      result('ingest-backfill', []),
      result('legacy-cron', []),
      result('orders-api', [412, 398, 405]),
      result('orders-webhook', []),
    ],
    Messages: [],
  };
}

function eventSourceMappings() {
  const f = findFn('image-resizer', 'us-east-1');
  const id = uuid();
  return {
    EventSourceMappings: [
      {
        UUID: id,
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 5,
        EventSourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:image-jobs`,
        FunctionArn: fnArn(f),
        LastModified: '2025-04-03T15:52:19.207000+00:00',
        State: 'Enabled',
        StateTransitionReason: 'USER_INITIATED',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
        EventSourceMappingArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:event-source-mapping:${id}`,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// README

function readme(files, total) {
  const count = (pred) => events.filter(pred).length;
  const bySession = (name, region) =>
    count(
      (e) =>
        e.userIdentity.arn &&
        e.userIdentity.arn.endsWith(`/${name}`) &&
        e.awsRegion === region &&
        e.userIdentity.type === 'AssumedRole',
    );
  const rows = [
    [
      '`orders-api` (us-east-1)',
      '`orders-api-role`',
      'DynamoDB `GetItem`/`PutItem`/`UpdateItem` on `orders`, `Query` on index `by-customer`; SQS `SendMessage` to `order-events` (event with `queueUrl` only); Secrets Manager `GetSecretValue` on `prod/orders/db` at each cold start, with the KMS `Decrypt` Secrets Manager makes for it (`invokedBy`); `sts:GetCallerIdentity` once; one **denied** `DeleteItem`',
      'AmazonDynamoDBFullAccess shrinks to a handful of actions on one table + index; the denied call is reported, not granted; VPC config and X-Ray tracing imply ENI and X-Ray permissions',
      bySession('orders-api', 'us-east-1'),
    ],
    [
      '`orders-api` (eu-west-1)',
      '`orders-api-role`',
      'the same code in the second region (global table replica, replicated secret), less traffic',
      "one role, two regions: resources per region; the role's policy covers both (`--region` picks a function only when its name has a different role in each region)",
      bySession('orders-api', 'eu-west-1'),
    ],
    [
      '`image-resizer` (us-east-1)',
      '`image-resizer-role`',
      "S3 `GetObject`/`HeadObject` under `incoming/`, `PutObject` under `thumbnails/` of `acme-uploads-111122223333`; SSM `GetParameter` `/image-resizer/config`; triggered by SQS `image-jobs` (event source mapping; the poller's `ReceiveMessage`/`DeleteMessage` are not in CloudTrail); one **throttled** call",
      '`s3:*` on `*` narrows to object prefixes; SQS poller permissions are implied by the event source mapping',
      bySession('image-resizer', 'us-east-1'),
    ],
    [
      '`report-daily` (eu-west-1)',
      '`reports-role` (shared)',
      'nightly DynamoDB `Scan` of `orders`, S3 `PutObject` under `daily/` of `acme-reports-111122223333`, SNS `Publish` to `report-ready`; dead-letter queue `report-daily-dlq`',
      'one role shared by two functions: the session name tells them apart; DLQ implies `sqs:SendMessage`',
      bySession('report-daily', 'eu-west-1'),
    ],
    [
      '`report-weekly` (eu-west-1)',
      '`reports-role` (shared)',
      'Mondays: SSM `GetParameter` `/reports/config` (`withDecryption`, KMS `Decrypt` by SSM), S3 `ListObjects` (ListObjectsV2, `list-type` 2) on prefix `weekly/`, `GetObject` under `daily/`',
      "the role's policy is the union of both functions' needs",
      bySession('report-weekly', 'eu-west-1'),
    ],
    [
      '`legacy-cron` (us-east-1)',
      '`legacy-cron-role`',
      'nothing: never appears in the trail (role last used 2025-03-14)',
      'unused function and unused role in `report --unused` (the Invocations export shows none either)',
      0,
    ],
    [
      '`ingest-backfill` (us-east-1)',
      '`ingest-backfill-role` (created 2026-11-20)',
      'nothing yet: deployed on 2026-11-20, after the trail',
      '`report --unused` does not judge it: a function changed and a role created inside the window',
      0,
    ],
    [
      '`orders-webhook` (us-east-1)',
      '`orders-webhook-role` (created 2026-11-19)',
      'nothing yet: a payment webhook deployed on 2026-11-19, after the trail, behind a public function URL',
      '`audit`: the public URL (auth type `NONE`, CORS `*`); `report --unused` does not judge it (deployed inside the window)',
      0,
    ],
    [
      '—',
      '`etl-legacy-role`',
      'no function uses it (role last used 2025-06-30)',
      'an orphaned Lambda execution role in `report --unused`',
      0,
    ],
  ];
  const noise = count((e) => e.userIdentity.type !== 'AssumedRole' || !e.userIdentity.arn.includes('-role/'));
  const lines = [
    '# Sample account (generated)',
    '',
    'A small, realistic demo account so the quick start runs with no AWS account: account',
    '`111122223333`, regions `us-east-1` and `eu-west-1`, CloudTrail from 2026-11-02 to 2026-11-04.',
    '',
    '**Do not edit these files by hand.** They are produced by `node scripts/generate-samples.js`',
    '(deterministic: a seeded PRNG and fixed dates; a unit test regenerates them and compares).',
    '',
    '```sh',
    'policy-tighten generate --function image-resizer --trail samples/trail --account-snapshot samples/account --offline --since 2026-11-01',
    'policy-tighten generate --function orders-api --region us-east-1 --trail samples/trail --account-snapshot samples/account --offline --since 2026-11-01',
    'policy-tighten report --unused --trail samples/trail --account-snapshot samples/account --offline --since 2026-11-01',
    '```',
    '',
    '## Layout',
    '',
    '- `trail/AWSLogs/111122223333/CloudTrail/<region>/2026/11/<DD>/111122223333_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz`:',
    `  ${files} gzipped CloudTrail delivery files (\`{"Records":[…]}\`), ${total} events, sorted by time within a file.`,
    '- `trail/AWSLogs/111122223333/CloudTrail-Digest/…`: one digest file (not events; tools must skip it).',
    '- `account/`: an account snapshot directory, as the AWS CLI prints it:',
    '  `authorization-details.json` (`aws iam get-account-authorization-details`), `functions-us-east-1.json`,',
    '  `functions-eu-west-1.json` (`aws lambda list-functions`), `event-source-mappings-us-east-1.json`',
    '  (`aws lambda list-event-source-mappings`), `get-metric-data-us-east-1.json` (`aws cloudwatch',
    '  get-metric-data`: the Invocations sums per day of the us-east-1 functions, docs/snapshot.md),',
    '  and what `audit` reads: `function-policies-<region>.json` (`aws lambda get-policy` per function),',
    '  `function-url-configs-<region>.json` (`aws lambda list-function-url-configs` per function) and',
    '  `secrets-<region>.json` (`aws secretsmanager list-secrets`: metadata, no secret value).',
    '- The service-linked role `AWSServiceRoleForSupport` is in the snapshot too: the report leaves it out.',
    '',
    '## Scenario',
    '',
    '| function | role | what it does | what to look for | events |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Not any function's doing (${noise} events), and must not be attributed to one:`,
    '',
    "- Lambda's own `sts:AssumeRole` for each execution environment (`userIdentity.type` `AWSService`, `invokedBy` `lambda.amazonaws.com`).",
    '- IAM user `deployer` (CI): `iam:GetRole` and `lambda:UpdateFunctionCode20150331v2` on `image-resizer` on 2026-11-03.',
    `- An IAM Identity Center (SSO) session of \`${SSO_ROLE}\` browsing the console on 2026-11-02.`,
    '',
    'Current policies (in `authorization-details.json`) are deliberately over-broad: `orders-api-role` has',
    '`AmazonDynamoDBFullAccess` (abbreviated document), the customer managed `acme-orders-table-access` (version v2 is',
    'the default; v1 was `dynamodb:*`) and an inline policy with an explicit `Deny` of `dynamodb:DeleteItem`;',
    '`image-resizer-role` has `s3:*` on `*`; every role has `AWSLambdaBasicExecutionRole`.',
    '',
    '## What `audit` finds',
    '',
    '| subject | configuration | the advice |',
    '|---|---|---|',
    '| `orders-webhook` (us-east-1) | function URL with auth type `NONE` and CORS `AllowOrigins: ["*"]`; its resource policy lets `"Principal": "*"` call `lambda:InvokeFunctionUrl` (condition `lambda:FunctionUrlAuthType` `NONE`); its alias `live` has a URL with `AWS_IAM` | a finding (public URL); the alias URL is fine |',
    '| `image-resizer` (us-east-1) | resource policy lets `s3.amazonaws.com` invoke it with no `aws:SourceArn` / `aws:SourceAccount` (the trigger of its first version, left behind) | a finding (confused deputy) |',
    '| `orders-api`, `legacy-cron`, `report-daily`, `report-weekly` | resource policies for API Gateway and EventBridge with an `AWS:SourceArn` condition | fine |',
    '| `legacy-cron` (us-east-1) | `BACKUP_AWS_ACCESS_KEY_ID` / `BACKUP_AWS_SECRET_ACCESS_KEY` in its environment variables: a long-term access key (made up) | a finding (a secret in the configuration) |',
    '| the other functions | a Secrets Manager ARN (`orders-api` `DB_SECRET_ID`, `orders-webhook` `SIGNING_SECRET_ARN`), an SSM parameter name (`image-resizer`, `report-weekly` `CONFIG_PARAMETER`), a `{{resolve:secretsmanager:…}}` reference (`report-weekly` `SMTP_PASSWORD`), plain values | fine |',
    '| secret `prod/orders/db` (us-east-1, and its eu-west-1 replica) | read by `orders-api`; encrypted with the AWS managed key `aws/secretsmanager` (no `KmsKeyId`) | a finding (customer managed key advised) |',
    '| secrets `prod/orders/webhook-signing-key`, `prod/reports/smtp` | customer managed KMS keys | fine |',
    '| `orders-api-role` | shared by `orders-api` in us-east-1 and eu-west-1 | a shared execution role |',
    '',
    'Notes on realism: data events (S3, DynamoDB, SNS) carry `resources`; SQS `SendMessage` is written here as a',
    'management-style record with only `queueUrl` (the ARN must be derived from the URL). Sensitive values are',
    '`HIDDEN_DUE_TO_SECURITY_REASONS`, as CloudTrail writes them.',
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

function writeFile(outDir, rel, data) {
  const file = path.join(outDir, ...rel.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

function generate(outDir) {
  rand = mulberry32(20261102);
  events.length = 0;
  sessions.clear();
  callerIdentityDone = deniedDone = throttleDone = false;
  buildTrail();
  const files = deliveryFiles();
  fs.rmSync(path.join(outDir, 'trail'), { recursive: true, force: true });
  fs.rmSync(path.join(outDir, 'account'), { recursive: true, force: true });
  for (const f of files) {
    f.body = JSON.stringify({ Records: f.records });
    writeFile(outDir, f.rel, zlib.gzipSync(Buffer.from(f.body, 'utf8'), { level: 9 }));
  }
  const digest = digestFile(files);
  writeFile(outDir, digest.rel, zlib.gzipSync(Buffer.from(digest.body, 'utf8'), { level: 9 }));

  const cli = (o) => JSON.stringify(o, null, 4) + '\n';
  writeFile(outDir, 'account/authorization-details.json', cli(authorizationDetails()));
  for (const region of ['us-east-1', 'eu-west-1']) {
    const fns = FUNCTIONS.filter((f) => f.region === region).sort((a, b) => (a.name < b.name ? -1 : 1));
    const configs = fns.map(functionConfig);
    if (region === 'us-east-1') {
      configs.push(INGEST_BACKFILL, ORDERS_WEBHOOK);
      configs.sort((a, b) => (a.FunctionName < b.FunctionName ? -1 : 1));
    }
    writeFile(outDir, `account/functions-${region}.json`, cli({ Functions: configs }));
    const names = configs.map((c) => c.FunctionName);
    writeFile(outDir, `account/function-policies-${region}.json`, cli(functionPolicies(region)));
    writeFile(outDir, `account/function-url-configs-${region}.json`, cli(functionUrlConfigs(region, names)));
    writeFile(outDir, `account/secrets-${region}.json`, cli(secretList(region)));
  }
  writeFile(outDir, 'account/get-metric-data-us-east-1.json', cli(invocationsExport()));
  writeFile(outDir, 'account/event-source-mappings-us-east-1.json', cli(eventSourceMappings()));
  writeFile(outDir, 'README.md', readme(files.length, events.length));
  return { files: files.length, events: events.length };
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] || path.join(__dirname, '..', 'samples'));
  const r = generate(outDir);
  console.error(`wrote ${r.events} events in ${r.files} CloudTrail files + account snapshot to ${outDir}`);
}

module.exports = { generate };
