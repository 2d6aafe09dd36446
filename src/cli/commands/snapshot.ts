import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { AUTHORIZATION_DETAILS_FILE } from '../../account';
import { readSnapshotLive } from '../../account/live';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors';
import { liveAccountFor } from '../aws';
import type { CliIo } from '../io';
import { writeFileAtomic } from '../output';

/** Parsed flags of `snapshot`. */
export interface SnapshotArgs {
  out?: string;
  region?: string[];
  profile?: string;
  offline?: boolean;
}

/** Writes a file atomically, as the AWS CLI prints JSON (4-space indent). */
async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 4)}\n`);
}

/**
 * `policy-tighten snapshot --out DIR`: the live account state (IAM authorization details, Lambda
 * functions and event source mappings per region, and the audit's parts: function resource
 * policies, function URL configs, Secrets Manager secrets' metadata) written in the snapshot format of
 * docs/snapshot.md, for offline and repeatable runs.
 */
export function snapshotCommand(
  io: CliIo,
  setExit: (code: ExitCodeValue) => void,
): CommandModule<object, SnapshotArgs> {
  return {
    command: 'snapshot',
    describe: 'Write the live account state (IAM, Lambda) as a snapshot directory for offline runs',
    builder: (y: Argv) =>
      y
        .option('out', { type: 'string', describe: 'Directory to write (created if missing)' })
        .option('region', {
          type: 'string',
          array: true,
          describe: 'Regions whose Lambda functions to read (default: the configured region)',
        })
        .option('profile', { type: 'string', describe: 'AWS profile of the shared config' })
        .option('offline', {
          type: 'boolean',
          default: false,
          hidden: true,
        }) as unknown as Argv<SnapshotArgs>,
    handler: async (args) => {
      if (args.out === undefined || args.out === '') throw new UsageError('snapshot needs --out DIR');
      if (args.offline) throw new UsageError('snapshot reads the live account: it cannot run with --offline');
      const live = liveAccountFor({
        ...(args.profile !== undefined ? { profile: args.profile } : {}),
        ...(args.region !== undefined ? { regions: args.region } : {}),
      });
      if (!live) throw new UsageError('snapshot reads the live account');
      const notes: string[] = [];
      const docs = await readSnapshotLive(live.ports, live.regions, live.counts, undefined, { notes });
      await mkdir(args.out, { recursive: true });
      await writeJson(path.join(args.out, AUTHORIZATION_DETAILS_FILE), docs.authorizationDetails);
      // A part not read (denied) has no file: an offline audit then lists its rules as not run.
      const parts = [...(docs.functionPolicies ?? []), ...(docs.functionUrls ?? []), ...(docs.secrets ?? [])];
      for (const f of [...docs.functions, ...docs.mappings, ...parts])
        await writeJson(path.join(args.out, f.name), f.json);
      const requests = Object.entries(live.counts ?? {})
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([api, n]) => `${api} ×${n}`)
        .join(', ');
      io.stderr(
        `policy-tighten snapshot: wrote ${args.out} (${AUTHORIZATION_DETAILS_FILE}, ${docs.functions.length + docs.mappings.length} Lambda files, ${parts.length} audit files for ${live.regions.join(', ')}); requests: ${requests}\n`,
      );
      for (const note of notes) io.stderr(`  note: ${note}\n`);
      setExit(ExitCode.OK);
    },
  };
}
