/**
 * Where an audit subject is defined in the user's infrastructure code (`audit --iac FILE`), for
 * SARIF's physical locations. Pure: the command reads the files, this looks at their text.
 *
 * - Terraform (`.tf`): a careful line scan, not a full HCL parser (the `@cdktf/hcl2json` parser is
 *   a development dependency only). It skips comments (`#`, `//`, `/* … *\/`), heredocs and
 *   strings, tracks brace depth, and records each top-level `resource "TYPE" "LABEL" {` block of
 *   the types below with its literal `function_name` / `name` attribute (a value with `${…}`
 *   interpolation is not a literal and is not matched).
 * - CloudFormation / SAM (`.yaml`, `.yml`, `.json`, `.template`): parsed with `yaml` (JSON is YAML)
 *   with CloudFormation's short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt` …) declared, so
 *   a template parses; a property set by an intrinsic function is not a literal and is not
 *   matched. Each resource of the types below is recorded with its logical id, its literal
 *   `FunctionName` / `RoleName` / `Name`, and the line of its logical id.
 *
 * A subject matches a definition whose literal name equals the subject's name; failing that, one
 * whose Terraform label or CloudFormation logical id equals it. Files are searched in the order
 * given; the first match wins.
 */
import { LineCounter, parseDocument, YAMLMap, type CollectionTag, type ScalarTag } from 'yaml';
import type { AuditSubject } from '../audit/types';

/** One `--iac` file: its path as given (forward slashes), and its text. */
export interface IacFile {
  path: string;
  content: string;
}

export type IacKind = 'function' | 'role' | 'secret';

/** A resource defined in an IaC file. Lines and columns are 1-based. */
export interface IacDefinition {
  kind: IacKind;
  /** The literal name it gives the resource, when it gives one. */
  name?: string;
  /** The Terraform resource label or the CloudFormation logical id. */
  label: string;
  path: string;
  line: number;
  column: number;
  /** The column after the last character of the defining line's text. */
  endColumn: number;
}

export interface IacIndex {
  definitions: IacDefinition[];
  /** Files that could not be read as IaC, with why (one line each). */
  problems: string[];
}

const TERRAFORM_TYPES: Record<string, { kind: IacKind; attribute: string }> = {
  aws_lambda_function: { kind: 'function', attribute: 'function_name' },
  aws_iam_role: { kind: 'role', attribute: 'name' },
  aws_secretsmanager_secret: { kind: 'secret', attribute: 'name' },
};

const CFN_TYPES: Record<string, { kind: IacKind; property: string }> = {
  'AWS::Lambda::Function': { kind: 'function', property: 'FunctionName' },
  'AWS::Serverless::Function': { kind: 'function', property: 'FunctionName' },
  'AWS::IAM::Role': { kind: 'role', property: 'RoleName' },
  'AWS::SecretsManager::Secret': { kind: 'secret', property: 'Name' },
};

// ---------------------------------------------------------------------------------------------
// Terraform

/** The code of one line outside comments and strings (strings kept as `""`), and the state after it. */
interface ScanState {
  blockComment: boolean;
  heredoc: string | null;
}

function codeOf(line: string, state: ScanState): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    const next = line[i + 1];
    if (state.blockComment) {
      if (ch === '*' && next === '/') {
        state.blockComment = false;
        i += 2;
      } else i++;
      continue;
    }
    if (ch === '#' || (ch === '/' && next === '/')) break;
    if (ch === '/' && next === '*') {
      state.blockComment = true;
      i += 2;
      continue;
    }
    if (ch === '"') {
      // A string, with `\` escapes; `${ … }` inside it holds no brace of the block structure.
      let j = i + 1;
      let depth = 0;
      while (j < line.length) {
        if (line[j] === '\\') j += 2;
        else if (line[j] === '$' && line[j + 1] === '{') {
          depth++;
          j += 2;
        } else if (line[j] === '}' && depth > 0) {
          depth--;
          j++;
        } else if (line[j] === '"' && depth === 0) break;
        else j++;
      }
      out += line.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const heredoc = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(line.slice(i));
    if (heredoc) {
      state.heredoc = heredoc[1];
      break;
    }
    out += ch;
    i++;
  }
  return out;
}

/** A literal HCL string (`"…"` with escapes, no interpolation), or undefined. */
function hclLiteral(s: string): string | undefined {
  const m = /^"((?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*)"$/.exec(s.trim());
  if (!m) return undefined;
  return m[1].replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

function braces(code: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') n++;
    else if (ch === '}') n--;
  }
  return n;
}

function terraformDefinitions(file: IacFile): IacDefinition[] {
  const out: IacDefinition[] = [];
  const state: ScanState = { blockComment: false, heredoc: null };
  let depth = 0;
  let current: { def: IacDefinition; attribute: string } | null = null;
  const lines = file.content.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (state.heredoc !== null) {
      if (line.trim() === state.heredoc) state.heredoc = null;
      return;
    }
    const code = codeOf(line, state);
    if (depth === 0) {
      const m = /^\s*resource\s+"([^"]+)"\s+"([^"]+)"\s*\{/.exec(code);
      const type = m ? TERRAFORM_TYPES[m[1]] : undefined;
      if (m && type) {
        const column = line.length - line.trimStart().length + 1;
        current = {
          def: {
            kind: type.kind,
            label: m[2],
            path: file.path,
            line: index + 1,
            column,
            endColumn: line.trimEnd().length + 1,
          },
          attribute: type.attribute,
        };
        out.push(current.def);
      }
    } else if (depth === 1 && current) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*)$/.exec(code);
      if (m && m[1] === current.attribute) {
        const value = hclLiteral(m[2]);
        if (value !== undefined) current.def.name = value;
      }
    }
    depth = Math.max(0, depth + braces(code));
    if (depth === 0) current = null;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// CloudFormation / SAM

/** CloudFormation's short-form intrinsic functions (`!Ref X`, `!Sub [...]`, `!GetAtt A.B` …). */
const INTRINSICS = [
  'And',
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'Ref',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
];

/** The long form a short-form tag stands for (`!Ref` → `Ref`, `!Sub` → `Fn::Sub`). */
const longForm = (name: string): string => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

/** Scalars become `{ "Fn::X": value }` (never a plain string, so never a literal name). */
const CFN_TAGS: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => ({ [longForm(name)]: value }) } as ScalarTag,
  { tag: `!${name}`, collection: 'seq', resolve: (node) => node } as CollectionTag,
  { tag: `!${name}`, collection: 'map', resolve: (node) => node } as CollectionTag,
]);

function cfnDefinitions(file: IacFile): { definitions: IacDefinition[]; problem?: string } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.content, {
    lineCounter,
    customTags: CFN_TAGS,
    uniqueKeys: false,
    prettyErrors: false,
  });
  if (doc.errors.length > 0)
    return {
      definitions: [],
      problem: `${file.path}: not YAML or JSON: ${doc.errors[0].message.split('\n')[0]}`,
    };
  const resources = doc.get('Resources', true);
  if (!(resources instanceof YAMLMap))
    return { definitions: [], problem: `${file.path}: no CloudFormation Resources section` };
  const lines = file.content.split(/\r?\n/);
  const out: IacDefinition[] = [];
  for (const pair of resources.items) {
    const key = pair.key as { value?: unknown; range?: [number, number, number] } | null;
    const resource = pair.value;
    if (!key || !(resource instanceof YAMLMap)) continue;
    const type = CFN_TYPES[String(resource.get('Type'))];
    if (!type) continue;
    const props = resource.get('Properties', true);
    const literal = props instanceof YAMLMap ? props.get(type.property) : undefined;
    const pos = lineCounter.linePos(key.range?.[0] ?? 0);
    const text = lines[pos.line - 1] ?? '';
    out.push({
      kind: type.kind,
      ...(typeof literal === 'string' ? { name: literal } : {}),
      label: String(key.value),
      path: file.path,
      line: pos.line,
      column: pos.col,
      endColumn: Math.max(pos.col + 1, text.trimEnd().length + 1),
    });
  }
  return { definitions: out };
}

// ---------------------------------------------------------------------------------------------
// Index and look-up

/** The resources the files define, in file order. */
export function indexIac(files: readonly IacFile[]): IacIndex {
  const definitions: IacDefinition[] = [];
  const problems: string[] = [];
  for (const file of files) {
    if (/\.tf$/i.test(file.path)) definitions.push(...terraformDefinitions(file));
    else if (/\.(ya?ml|json|template)$/i.test(file.path)) {
      const r = cfnDefinitions(file);
      definitions.push(...r.definitions);
      if (r.problem) problems.push(r.problem);
    } else
      problems.push(`${file.path}: not a Terraform (.tf) or CloudFormation/SAM (.yaml, .yml, .json) file`);
  }
  return { definitions, problems };
}

/** Where `subject` is defined: a literal name match first, then a label / logical id match. */
export function locateSubject(index: IacIndex, subject: AuditSubject): IacDefinition | undefined {
  if (subject.kind !== 'function' && subject.kind !== 'role' && subject.kind !== 'secret') return undefined;
  const same = index.definitions.filter((d) => d.kind === subject.kind);
  return (
    same.find((d) => d.name === subject.name) ??
    same.find((d) => d.name === undefined && d.label === subject.name)
  );
}
