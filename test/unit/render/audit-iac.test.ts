import { indexIac, locateSubject } from '../../../src/render/audit-iac';
import { iacUri } from '../../../src/cli/commands/audit';
import { iacFixtures } from './audit-golden';

const subject = (kind: 'function' | 'role' | 'secret', name: string) => ({
  kind,
  name,
  arn: `arn:aws:x:::${name}`,
});

describe('IaC locations of audit subjects', () => {
  const index = indexIac(iacFixtures());
  const at = (kind: 'function' | 'role' | 'secret', name: string) => {
    const d = locateSubject(index, subject(kind, name));
    return d ? [d.path, d.line, d.column, d.label] : undefined;
  };

  it.each([
    [
      'Terraform function by function_name',
      'function',
      'orders-api',
      ['test/fixtures/audit/main.tf', 15, 1, 'orders'],
    ],
    ['Terraform role by name', 'role', 'orders-role', ['test/fixtures/audit/main.tf', 7, 1, 'orders']],
    [
      'SAM function by FunctionName',
      'function',
      'reports-api',
      ['test/fixtures/audit/template.yaml', 8, 3, 'ReportsFunction'],
    ],
    [
      'CFN role by RoleName',
      'role',
      'shared-role',
      ['test/fixtures/audit/template.yaml', 16, 3, 'SharedRole'],
    ],
    [
      'SAM function without a name, by logical id',
      'function',
      'Unnamed',
      ['test/fixtures/audit/template.yaml', 30, 3, 'Unnamed'],
    ],
    [
      'an interpolated Terraform name is no literal: by label',
      'function',
      'legacy_cron',
      ['test/fixtures/audit/main.tf', 25, 3, 'legacy_cron'],
    ],
    [
      'a !Sub name is no literal: by logical id',
      'function',
      'etlWorker',
      ['test/fixtures/audit/template.yaml', 25, 3, 'etlWorker'],
    ],
  ] as const)('%s', (_what, kind, name, expected) => {
    expect(at(kind, name)).toEqual(expected);
  });

  it.each([
    ['a decoy in a block comment or heredoc is not a definition', 'function', 'decoy'],
    ['nor the heredoc line', 'function', 'in_heredoc'],
    ['a label does not match when the block names the resource otherwise', 'function', 'orders'],
    ['a logical id does not match when FunctionName names it otherwise', 'function', 'ReportsFunction'],
    ['an interpolated name never matches its expansion', 'function', 'etl-prod'],
    ['a role is not found among functions', 'role', 'reports-api'],
    ['a subject defined nowhere', 'function', 'nowhere'],
  ] as const)('%s', (_what, kind, name) => {
    expect(at(kind, name)).toBeUndefined();
  });

  it('reads CloudFormation JSON; says which files it cannot read', () => {
    const json = JSON.stringify(
      { Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'json-fn' } } } },
      null,
      2,
    );
    const idx = indexIac([
      { path: 'cfn/stack.json', content: json },
      { path: 'broken.yaml', content: 'Resources: [unclosed' },
      { path: 'notes.txt', content: 'x' },
      { path: 'empty.yml', content: 'Description: nothing\n' },
    ]);
    expect(locateSubject(idx, subject('function', 'json-fn'))).toMatchObject({
      path: 'cfn/stack.json',
      line: 3,
    });
    expect(idx.problems).toEqual([
      expect.stringMatching(/^broken\.yaml: not YAML or JSON: /),
      'notes.txt: not a Terraform (.tf) or CloudFormation/SAM (.yaml, .yml, .json) file',
      'empty.yml: no CloudFormation Resources section',
    ]);
  });

  it('--iac paths: as given, forward slashes, relative to the working directory when absolute', () => {
    expect(iacUri('./infra/main.tf', '/repo')).toBe('infra/main.tf');
    expect(iacUri('/repo/infra/template.yaml', '/repo')).toBe('infra/template.yaml');
    expect(iacUri('infra\\win.tf', '/repo')).toBe('infra/win.tf');
  });
});
