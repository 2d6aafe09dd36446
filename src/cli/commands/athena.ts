import type { Argv, CommandModule } from 'yargs';
import { ExitCode, type ExitCodeValue } from '../../errors';
import { athenaDdl } from '../../sources/athena-ddl';
import type { CliIo } from '../io';
import { writeOutput } from '../output';

/** Parsed flags of `athena ddl`. */
export interface AthenaDdlArgs {
  bucket: string;
  prefix?: string;
  'organization-id'?: string;
  account?: (string | number)[];
  region?: string[];
  start: string;
  database: string;
  table: string;
  out?: string;
}

/**
 * `policy-tighten athena ddl`: prints the CREATE TABLE of a CloudTrail trail bucket for Athena
 * (partition projection over the standard layout), the table `--athena-table` reads.
 */
export function athenaCommand(
  io: CliIo,
  setExit: (code: ExitCodeValue) => void,
): CommandModule<object, AthenaDdlArgs> {
  return {
    command: 'athena ddl',
    describe: 'Print the Athena table of a CloudTrail bucket (partition projection) for --athena-table',
    builder: (y: Argv) =>
      y
        .option('bucket', { type: 'string', demandOption: true, describe: 'The trail bucket' })
        .option('prefix', { type: 'string', describe: "The trail's key prefix, if any" })
        .option('organization-id', {
          type: 'string',
          describe: 'Organization id (o-…) of an organization trail',
        })
        .option('account', {
          type: 'string',
          array: true,
          describe: 'Account ids whose logs the bucket holds (repeatable)',
        })
        .option('region', { type: 'string', array: true, describe: 'Regions the trail logs (repeatable)' })
        .option('start', {
          type: 'string',
          default: '2020/01/01',
          describe: 'First day of the partition projection (yyyy/MM/dd)',
        })
        .option('database', { type: 'string', default: 'default', describe: 'Athena database' })
        .option('table', { type: 'string', default: 'cloudtrail_logs', describe: 'Table name' })
        .option('out', { type: 'string', describe: 'Write the DDL to this file instead of stdout' })
        .strict() as unknown as Argv<AthenaDdlArgs>,
    handler: async (args) => {
      const ddl = athenaDdl({
        bucket: args.bucket,
        ...(args.prefix !== undefined ? { prefix: args.prefix } : {}),
        ...(args['organization-id'] !== undefined ? { organizationId: args['organization-id'] } : {}),
        accounts: (args.account ?? []).map(String),
        regions: args.region ?? [],
        start: args.start,
        database: args.database,
        table: args.table,
      });
      await writeOutput(io, args.out, ddl);
      setExit(ExitCode.OK);
    },
  };
}
