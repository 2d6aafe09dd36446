/**
 * The maintained detector behind PT-AUDIT-ENV-SECRET: secretlint (`@secretlint/core` with
 * `@secretlint/secretlint-rule-preset-recommend`, MIT) behind the SecretDetector interface.
 *
 * Both packages are ES modules only. They are loaded lazily with a real dynamic `import()`
 * (TypeScript keeps `import()` as it is in a CommonJS file under `module: node16`), which works on
 * every Node ≥ 20 without relying on require(esm); it is loaded once per process. Jest's module
 * runtime cannot load them (no `--experimental-vm-modules`): unit tests give the rule a detector
 * through `AuditInput.secretDetector`, and test/e2e/audit-secrets.test.ts runs this adapter over
 * the built dist/ in a child `node`.
 *
 * Each variable is linted alone as one line `NAME=value` of a source that names no file
 * (`noPhysicFilePath`, no extension: the GCP rule's .p12/.json readers never touch the disk),
 * with `maskSecrets`; only each message's rule id and message id are kept, never its text, range
 * or data. Imports no fs, no SDK.
 */
import { ExitCode, PolicyTightenError } from '../../errors';
import { printableName } from './names';
import type { EnvVariable, SecretDetector, SecretHit, SecretKind } from './types';

/** What the adapter uses of @secretlint/core's lintSource result. */
interface LintMessage {
  ruleId: string;
  messageId?: string;
}
type LintSource = (args: {
  source: { filePath: string; content: string; contentType: 'text' };
  options: { config: { rules: unknown[] }; maskSecrets: boolean; noPhysicFilePath: boolean };
}) => Promise<{ messages: LintMessage[] }>;

/** The two modules, as loaded. */
export interface SecretlintModules {
  lintSource: LintSource;
  preset: { meta: { id: string } };
}

const PREFIX = '@secretlint/secretlint-rule-';

/** What a secretlint message says the value is. */
function kindOf(m: LintMessage): SecretKind {
  const rule = m.ruleId.startsWith(PREFIX) ? m.ruleId.slice(PREFIX.length) : m.ruleId;
  if (rule === 'aws' && m.messageId === 'AWSSecretAccessKey') return 'aws-secret-access-key';
  if (rule === 'aws' && m.messageId === 'AWSAccessKeyID') return 'aws-access-key-id';
  if (rule === 'privatekey') return 'private-key';
  if (rule === 'basicauth' || rule === 'database-connection-string') return 'credentials-in-url';
  return 'token';
}

/** `secretlint/<rule>/<messageId>` (e.g. `secretlint/github/GITHUB_TOKEN`). */
function ruleName(m: LintMessage): string {
  const rule = m.ruleId.startsWith(PREFIX) ? m.ruleId.slice(PREFIX.length) : m.ruleId;
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.@/-]/g, '_').slice(0, 80);
  return `secretlint/${clean(rule)}${m.messageId ? `/${clean(m.messageId)}` : ''}`;
}

/** A detector over already loaded modules (the loader below, or a test's). */
export function secretlintDetector(modules: SecretlintModules): SecretDetector {
  const config = { rules: [{ id: modules.preset.meta.id, rule: modules.preset }] };
  return {
    name: 'secretlint (preset recommend)',
    async scan(variables: readonly EnvVariable[]): Promise<SecretHit[]> {
      const out: SecretHit[] = [];
      for (const { name, value } of variables) {
        let messages: LintMessage[];
        try {
          const r = await modules.lintSource({
            source: { filePath: 'lambda-environment', content: `${name}=${value}`, contentType: 'text' },
            options: { config, maskSecrets: true, noPhysicFilePath: true },
          });
          messages = r.messages;
        } catch {
          // The cause may quote the source: it is dropped, never printed.
          throw new PolicyTightenError(
            `secretlint failed on the environment variable ${printableName(name)} (its value is not shown)`,
            ExitCode.FAILURE,
            'tool',
          );
        }
        for (const m of messages) out.push({ variable: name, rule: ruleName(m), kind: kindOf(m) });
      }
      return out;
    },
  };
}

let loading: Promise<SecretDetector> | undefined;

/** Loads secretlint once per process (see the file header). */
export function loadSecretlintDetector(): Promise<SecretDetector> {
  loading ??= (async () => {
    try {
      const [core, preset] = await Promise.all([
        import('@secretlint/core'),
        import('@secretlint/secretlint-rule-preset-recommend'),
      ]);
      return secretlintDetector({
        lintSource: core.lintSource as unknown as LintSource,
        preset: preset.creator,
      });
    } catch (e) {
      loading = undefined;
      throw new PolicyTightenError(
        `PT-AUDIT-ENV-SECRET cannot load its secret detector (@secretlint/core, @secretlint/secretlint-rule-preset-recommend): ${(e as Error).message}`,
        ExitCode.FAILURE,
        'tool',
        { cause: e },
      );
    }
  })();
  return loading;
}
