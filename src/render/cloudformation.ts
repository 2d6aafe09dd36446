import { Document, Scalar, visit, type ScalarTag, type Tags } from 'yaml';
import { iacCommentText, iacDescription, iacDocuments, iacPolicyName, type IacInput } from './iac-input';

/**
 * CloudFormation logical id for document `index` (0-based): the policy name in PascalCase with
 * everything but ASCII letters and digits dropped (CloudFormation allows only [A-Za-z0-9]), then
 * `2`, `3` … for later documents. Never `RoleName`, the template's parameter.
 */
export function cloudFormationLogicalId(policyName: string, index: number): string {
  let id = policyName
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  if (!/^[A-Za-z]/.test(id)) id = `Policy${id}`;
  if (id === 'RoleName') id = 'RoleNamePolicy';
  const suffix = index === 0 ? '' : String(index + 1);
  // CloudFormation's limit on logical ids.
  return id.slice(0, 255 - suffix.length) + suffix;
}

/**
 * Regexps of every plain scalar that some YAML reader takes for something other than a string.
 * The yaml package quotes only what its own schema (YAML 1.2 core) would misread, but
 * CloudFormation, cfn-lint and SAM read YAML 1.1, where `yes`, `on`, `0777`, `1_000` and
 * `2012-10-17` are booleans, numbers and dates; so the tests of both schemas count. `=` is
 * YAML 1.1's value type, which PyYAML (cfn-lint, SAM CLI) rejects.
 */
const NOT_A_STRING: RegExp[] = [
  ...[new Document(null, { version: '1.1' }), new Document(null)].flatMap((doc) =>
    doc.schema.tags.flatMap((tag) => (tag.test && tag.tag !== 'tag:yaml.org,2002:str' ? [tag.test] : [])),
  ),
  /^=$/,
];

/**
 * Characters the yaml package writes raw even in double quotes (its escaping is JSON's), but that
 * YAML 1.1 readers reject (DEL, C1 controls, U+FFFE, U+FFFF: PyYAML refuses the whole file) or
 * read as line breaks (NEL, LS, PS: a value would silently change). Strings holding them are
 * double-quoted (see the visit below) and these characters escaped.
 */
const RAW_UNSAFE = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/;
const RAW_UNSAFE_ALL = new RegExp(RAW_UNSAFE.source, 'g');

function yamlEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16)}` : `\\u${code.toString(16)}`;
}

/** A scalar's text as the yaml package wrote it, made safe for YAML 1.1 readers too. */
function yaml11Safe(value: unknown, text: string): string {
  // JavaScript writes 1e21 as `1e+21`, a string to YAML 1.1, whose floats need a `.`.
  if (typeof value === 'number') return text.replace(/^(-?\d+)e/, '$1.0e');
  // In double quotes `\x7f` and `\u2028` are escapes.
  if (typeof value === 'string' && text.startsWith('"')) return text.replace(RAW_UNSAFE_ALL, yamlEscape);
  return text;
}

/** The schema's tags, each scalar tag's output passed through yaml11Safe. */
const yaml11SafeTags = (tags: Tags): Tags =>
  tags.map((tag) => {
    if (typeof tag !== 'object' || !tag.stringify) return tag;
    const stringify = tag.stringify;
    const safe: ScalarTag = {
      ...(tag as ScalarTag),
      stringify: (item, ctx, onComment, onChompKeep) =>
        yaml11Safe(item.value, stringify(item, ctx, onComment, onChompKeep)),
    };
    return safe;
  });

/** `!Ref <name>`, as a real YAML tag. */
function ref(name: string): Scalar {
  const node = new Scalar(name);
  node.tag = '!Ref';
  return node;
}

/**
 * A CloudFormation template (YAML, usable in SAM) that applies the given policy documents to the
 * role named by its `RoleName` parameter (default: the input's role): per document an
 * `AWS::IAM::RolePolicy` (inline) or an `AWS::IAM::ManagedPolicy` attached to the role. Each
 * `PolicyDocument` is the canonical document, so the template applies the same policy as the
 * JSON output. Built as a YAML document, never by pasting text, and quoted so that YAML 1.2 and
 * YAML 1.1 readers alike read every string in a policy back as that string (`*`, `yes`,
 * `2012-10-17`, `key: v` …). Deterministic, with a trailing newline.
 *
 * @throws RangeError when there is no document or a string cannot be encoded as UTF-8.
 */
export function renderCloudFormation(input: IacInput): string {
  const docs = iacDocuments(input);
  const resources: Record<string, unknown> = {};
  docs.forEach((policyDocument, i) => {
    const name = iacPolicyName(input.policyName, i);
    resources[cloudFormationLogicalId(input.policyName, i)] = input.inline
      ? {
          Type: 'AWS::IAM::RolePolicy',
          Properties: { PolicyName: name, RoleName: ref('RoleName'), PolicyDocument: policyDocument },
        }
      : {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            ManagedPolicyName: name,
            Description: iacDescription(input.roleName),
            Roles: [ref('RoleName')],
            PolicyDocument: policyDocument,
          },
        };
  });
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Least-privilege IAM policy for role ${input.roleName}, generated by policy-tighten`,
    Parameters: {
      RoleName: {
        Type: 'String',
        Default: input.roleName,
        Description: 'Name of the IAM role the policy is for',
      },
    },
    Resources: resources,
  };
  // No anchors and aliases: CloudFormation does not accept them.
  const doc = new Document(template, { aliasDuplicateObjects: false, customTags: yaml11SafeTags });
  visit(doc, {
    Scalar(_key, node) {
      const value = node.value;
      if (typeof value === 'string' && (RAW_UNSAFE.test(value) || NOT_A_STRING.some((re) => re.test(value))))
        node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  doc.commentBefore = ` ${iacCommentText(input.header)}`;
  // lineWidth 0: no folding of long ARNs and condition values onto several lines.
  return doc.toString({ lineWidth: 0 });
}
