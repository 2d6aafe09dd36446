import { iacCommentText, iacDescription, iacDocuments, iacPolicyName, type IacInput } from './iac-input';

/**
 * Terraform resource label for document `index` (0-based): the policy name with every character
 * Terraform does not allow in an identifier replaced by `_`, prefixed with `_` unless it starts
 * with a letter or `_`; later documents get `_2`, `_3` …
 */
export function terraformLabel(policyName: string, index: number): string {
  let label = policyName.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z_]/.test(label)) label = `_${label}`;
  return index === 0 ? label : `${label}_${index + 1}`;
}

/**
 * A quoted HCL string whose value is exactly `s`. JSON string syntax is almost HCL's: `\b` and
 * `\f` are not HCL escapes (written as `\u0008`, `\u000c` instead), and a quoted HCL string is a
 * template, so `${` and `%{` are escaped as `$${` and `%%{` to keep IAM policy variables such as
 * `${aws:username}` literal. Each `${` gets one more `$` whatever precedes it: HCL reads `$$${`
 * as `$` followed by the escape `$${`.
 */
function hclString(s: string): string {
  return JSON.stringify(s)
    .replace(/\\([\s\S])/g, (m, c: string) => (c === 'b' ? '\\u0008' : c === 'f' ? '\\u000c' : m))
    .replace(/([$%])\{/g, '$1$1{');
}

/**
 * JSON data as an HCL expression, laid out as `terraform fmt` leaves it: object constructors in
 * JSON syntax with a space before each `:` (fmt inserts one), one element per line, two spaces
 * of indent per level. `indent` is the indent of the line the expression starts on.
 */
function hclValue(value: unknown, indent: string): string {
  if (typeof value === 'string') return hclString(value);
  // JSON numbers (`1e+21` included), booleans and null are HCL literals as they are.
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v) => hclValue(v, inner))
    : Object.entries(value).map(([k, v]) => `${hclString(k)} : ${hclValue(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return `${open}${close}`;
  return `${open}\n${items.map((item) => inner + item).join(',\n')}\n${indent}${close}`;
}

/**
 * One resource block. Consecutive single-line attributes have their `=` aligned, as
 * `terraform fmt` does; a multi-line attribute ends such a run and is not aligned itself.
 */
function resourceBlock(type: string, label: string, attributes: [string, string][]): string {
  const lines: string[] = [];
  let run: [string, string][] = [];
  const flush = () => {
    const width = Math.max(...run.map(([name]) => name.length));
    for (const [name, expr] of run) lines.push(`  ${name.padEnd(width)} = ${expr}`);
    run = [];
  };
  for (const [name, expr] of attributes) {
    if (!expr.includes('\n')) {
      run.push([name, expr]);
      continue;
    }
    if (run.length) flush();
    lines.push(`  ${name} = ${expr}`);
  }
  if (run.length) flush();
  return `resource ${hclString(type)} ${hclString(label)} {\n${lines.join('\n')}\n}`;
}

/**
 * Terraform (HCL) that applies the given policy documents to the role: per document an
 * `aws_iam_role_policy` (inline), or an `aws_iam_policy` plus an `aws_iam_role_policy_attachment`
 * (managed). Each policy is `jsonencode(...)` of the canonical document written as an HCL
 * expression, so reviewers read the same key order as the JSON output. Terraform's jsonencode
 * then sorts keys and minifies; IAM compares policies by content, so that applies the same
 * policy. Deterministic, formatted as `terraform fmt` leaves it, with a trailing newline.
 *
 * @throws RangeError when there is no document or a string cannot be encoded as UTF-8.
 */
export function renderTerraform(input: IacInput): string {
  const docs = iacDocuments(input);
  const blocks = docs.flatMap((doc, i) => {
    const label = terraformLabel(input.policyName, i);
    const name = hclString(iacPolicyName(input.policyName, i));
    const role = hclString(input.roleName);
    const policy = `jsonencode(${hclValue(doc, '  ')})`;
    if (input.inline) {
      return [
        resourceBlock('aws_iam_role_policy', label, [
          ['name', name],
          ['role', role],
          ['policy', policy],
        ]),
      ];
    }
    return [
      resourceBlock('aws_iam_policy', label, [
        ['name', name],
        ['description', hclString(iacDescription(input.roleName))],
        ['policy', policy],
      ]),
      resourceBlock('aws_iam_role_policy_attachment', label, [
        ['role', role],
        ['policy_arn', `aws_iam_policy.${label}.arn`],
      ]),
    ];
  });
  return `# ${iacCommentText(input.header)}\n\n${blocks.join('\n\n')}\n`;
}
