/**
 * `--format` → renderer: one table, every renderer working from the canonical objects (never
 * string splicing). `needs` says what a format requires of the run, checked before writing.
 */
import type { RunGenerateResult } from '../pipeline/run-generate';
import { renderCloudFormation, renderPolicyJson, renderReviewMarkdown, renderTerraform } from '../render';
import type { IacInput } from '../render/iac-input';

export interface FormatContext {
  /** The command line that produced the output, for IaC header comments (no values from data). */
  header: string;
  inline: boolean;
}

export interface Format {
  describe: string;
  /** `diff`: the role's current policies (snapshot); `role`: the role's name. */
  needs: 'nothing' | 'diff' | 'role';
  render(result: RunGenerateResult, ctx: FormatContext): string;
}

function iacInput(result: RunGenerateResult, ctx: FormatContext): IacInput {
  return {
    policies: result.policies,
    roleName: result.roleName ?? '',
    policyName: result.policyNames[0] ?? 'policy-tighten-least-privilege',
    inline: ctx.inline,
    header: ctx.header,
  };
}

export const FORMATS: Readonly<Record<string, Format>> = {
  json: {
    describe: 'the policy document ({"policies":[…]} when quotas split it)',
    needs: 'nothing',
    render: (r) =>
      renderPolicyJson(
        r.policies.length <= 1
          ? (r.policies[0] ?? { Version: '2012-10-17', Statement: [] })
          : { policies: r.policies },
      ),
  },
  markdown: {
    describe: 'a pull-request review comment: what the policy removes, narrows, keeps and adds, and why',
    needs: 'diff',
    render: (r) =>
      renderReviewMarkdown({
        diff: r.diff!,
        policies: r.policies,
        findings: r.findings,
        stats: r.usage.stats,
        marker: r.subject,
      }),
  },
  terraform: {
    describe: 'aws_iam_policy + attachment (aws_iam_role_policy with --inline), policy = jsonencode(…)',
    needs: 'role',
    render: (r, ctx) => renderTerraform(iacInput(r, ctx)),
  },
  cloudformation: {
    describe: 'a CloudFormation/SAM template: AWS::IAM::ManagedPolicy (AWS::IAM::RolePolicy with --inline)',
    needs: 'role',
    render: (r, ctx) => renderCloudFormation(iacInput(r, ctx)),
  },
};
