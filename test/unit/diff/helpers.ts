import { generatePolicies } from '../../../src/generate';
import type { AccountState, PolicyDocument, UsageAggregate } from '../../../src/model';
import { prepareReview, reviewDiff } from '../../../src/pipeline/review';
import type { Target } from '../../../src/attribution';
import { ACCOUNT, testCatalog } from '../generate/helpers';

export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/fn-role`;

export interface DiffCase {
  /** Current inline policies of the role (name → document). */
  inline?: Record<string, unknown>;
  /** Attached managed policies: ARN → document (undefined: attached, document unknown). */
  managed?: Record<string, unknown | undefined>;
  boundary?: unknown;
  usage: UsageAggregate;
  createDate?: string;
  window?: { since: Date; until: Date };
  partial?: boolean;
  dropUnobservable?: boolean;
}

/** The pipeline's review stage on an in-memory account: the proposal and its diff. */
export async function diffCase(c: DiffCase) {
  const catalog = await testCatalog();
  const managed = Object.entries(c.managed ?? {});
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
  const state: AccountState = {
    roles: [
      {
        roleName: 'fn-role',
        arn: ROLE_ARN,
        path: '/',
        createDate: c.createDate ?? '2024-01-01T00:00:00.000Z',
        inlinePolicies: Object.entries(c.inline ?? {}).map(([name, document]) => ({
          name,
          document: document as PolicyDocument,
        })),
        attachedPolicyArns: managed.map(([arn]) => arn),
        ...(c.boundary ? { permissionsBoundaryArn: boundaryArn } : {}),
      },
    ],
    users: [],
    policies: [
      ...managed
        .filter(([, doc]) => doc !== undefined)
        .map(([arn, doc]) => ({
          arn,
          name: arn.split('/').pop() as string,
          defaultVersionId: 'v1',
          document: doc as PolicyDocument,
        })),
      ...(c.boundary
        ? [
            {
              arn: boundaryArn,
              name: 'boundary',
              defaultVersionId: 'v1',
              document: c.boundary as PolicyDocument,
            },
          ]
        : []),
    ],
    functions: [],
    eventSourceMappings: [],
  };
  const target: Target = { kind: 'role', roleArn: ROLE_ARN, display: 'role fn-role' };
  if (c.usage.stats.attributed === 0) c.usage.stats.attributed = Object.keys(c.usage.entries).length;
  for (const e of Object.values(c.usage.entries)) await catalog.ensureService(e.action.split(':')[0]);
  const basis = await prepareReview(state, target, c.usage, catalog, {
    dropUnobservable: c.dropUnobservable ?? false,
  });
  if (!basis) throw new Error('no basis');
  const generated = generatePolicies(c.usage, { catalog, carried: basis.carry.statements });
  const { diff, findings } = reviewDiff(basis, {
    target,
    policies: generated.policies,
    policyName: 'fn-least-privilege',
    usage: c.usage,
    catalog,
    window: c.window ?? { since: new Date('2026-09-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    partial: c.partial ?? false,
  });
  return { diff, findings, policies: generated.policies, basis };
}

export const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
