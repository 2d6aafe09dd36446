/**
 * `policy-tighten athena ddl`: the CREATE TABLE of a CloudTrail trail bucket for Athena, with
 * partition projection over the standard delivery layout
 * `s3://BUCKET/[PREFIX/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/yyyy/MM/dd/`, so that no
 * partition is ever added by hand and the tool's query scans only the window's days.
 *
 * The columns, SerDe and input format are those AWS documents in "Create the table for
 * CloudTrail logs in Athena using partition projection"
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html);
 * the account and region partitions (enum projection) extend it to several accounts (an
 * organization trail) and regions. Every value is validated: the DDL is text the user runs.
 */
import { UsageError } from '../errors';

export interface AthenaDdlOptions {
  bucket: string;
  /** Key prefix of the trail, without slashes at either end. */
  prefix?: string;
  /** Organization id of an organization trail (`o-…`). */
  organizationId?: string;
  accounts: string[];
  regions: string[];
  /** First day of the projection (`yyyy/MM/dd`). */
  start: string;
  database: string;
  table: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9!_.*'()/-]{1,512}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const DAY = /^\d{4}\/\d{2}\/\d{2}$/;
const NAME = /^[a-z_][a-z0-9_]{0,254}$/;

function need(ok: boolean, message: string): void {
  if (!ok) throw new UsageError(message);
}

/** The documented CloudTrail columns (Hive types). */
const COLUMNS = `    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
            userid: STRING,
            identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery: STRING,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: MAP<STRING, STRING>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
        reason: STRING,
        updatedfields: STRING,
        originalrequestid: STRING,
        originaleventid: STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
        tlsversion: STRING,
        ciphersuite: STRING,
        clientprovidedhostheader: STRING>`;

/** The DDL (see the file header). */
export function athenaDdl(o: AthenaDdlOptions): string {
  need(BUCKET.test(o.bucket), `--bucket ${JSON.stringify(o.bucket.slice(0, 80))}: not an S3 bucket name`);
  const prefix = (o.prefix ?? '').replace(/^\/+|\/+$/g, '');
  need(prefix === '' || (PREFIX.test(prefix) && !prefix.includes('//')), '--prefix: not an S3 key prefix');
  need(o.organizationId === undefined || ORG.test(o.organizationId), '--organization-id: expected o-…');
  need(
    o.accounts.length > 0,
    'athena ddl needs --account ID (repeatable: the accounts of an organization trail)',
  );
  for (const a of o.accounts)
    need(ACCOUNT.test(a), `--account ${JSON.stringify(a.slice(0, 20))}: not a 12-digit account id`);
  need(o.regions.length > 0, 'athena ddl needs --region REGION (repeatable: the regions the trail logs)');
  for (const r of o.regions)
    need(REGION.test(r), `--region ${JSON.stringify(r.slice(0, 40))}: not an AWS region`);
  need(
    DAY.test(o.start) && !Number.isNaN(Date.parse(o.start.replace(/\//g, '-'))),
    '--start: expected yyyy/MM/dd',
  );
  need(
    NAME.test(o.database) && NAME.test(o.table),
    '--database and --table: lower-case letters, digits and _',
  );
  const root = `s3://${o.bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/${o.organizationId ? `${o.organizationId}/` : ''}`;
  const sorted = (xs: string[]) => Array.from(new Set(xs)).sort().join(',');
  return `CREATE EXTERNAL TABLE ${o.database}.${o.table} (
${COLUMNS}
)
PARTITIONED BY (
    account STRING,
    region STRING,
    \`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${root}'
TBLPROPERTIES (
    'projection.enabled'='true',
    'projection.account.type'='enum',
    'projection.account.values'='${sorted(o.accounts)}',
    'projection.region.type'='enum',
    'projection.region.values'='${sorted(o.regions)}',
    'projection.timestamp.type'='date',
    'projection.timestamp.format'='yyyy/MM/dd',
    'projection.timestamp.range'='${o.start},NOW',
    'projection.timestamp.interval'='1',
    'projection.timestamp.interval.unit'='DAYS',
    'storage.location.template'='${root}\${account}/CloudTrail/\${region}/\${timestamp}');
`;
}
