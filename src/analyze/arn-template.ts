import { globsIntersect } from '../iam/glob';
/**
 * ARN formats of the IAM catalog (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) compiled
 * into regular expressions (does an ARN fit a resource type?) and filled from variable bindings.
 */

/** Variables whose values may contain `/` or `:`; every other variable is one `[^:/]+` segment. */
const VARIABLE_PATTERNS: Record<string, string> = {
  Partition: 'aws(?:-[a-z]+)*',
  Region: '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}',
  Account: '(?:\\d{12}|aws)',
  ObjectName: '.+',
  ParameterNameWithoutLeadingSlash: '.+',
  LogGroupName: '[^:]+',
  // Lambda's stream names hold slashes: 2026/11/02/[$LATEST]abc….
  LogStreamName: '[^:]+',
  SecretId: '[^:]+',
  StreamLabel: '[^/]+',
  RoleNameWithPath: '.+',
  UserNameWithPath: '.+',
  GroupNameWithPath: '.+',
  PolicyNameWithPath: '.+',
  InstanceProfileNameWithPath: '.+',
  // Lambda accepts a qualified function (`name:alias`) where the `function` type is listed.
  FunctionName: '[^:/]+(?::[^:/]+)?',
};
const DEFAULT_PATTERN = '[^:/]+';
const PLACEHOLDER_RE = /\$\{([A-Za-z0-9]+)\}/g;

export interface CompiledArnTemplate {
  template: string;
  regex: RegExp;
  variables: string[];
}

const cache = new Map<string, CompiledArnTemplate>();

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileArnTemplate(template: string): CompiledArnTemplate {
  let c = cache.get(template);
  if (c) return c;
  const variables: string[] = [];
  let source = '^';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER_RE)) {
    source += escapeRegex(template.slice(last, m.index));
    variables.push(m[1]);
    source += `(?:${VARIABLE_PATTERNS[m[1]] ?? DEFAULT_PATTERN})`;
    last = (m.index ?? 0) + m[0].length;
  }
  source += escapeRegex(template.slice(last)) + '$';
  c = { template, regex: new RegExp(source), variables };
  cache.set(template, c);
  return c;
}

/** Does `arn` fit the ARN format `template`? */
export function arnFitsTemplate(arn: string, template: string): boolean {
  return compileArnTemplate(template).regex.test(arn);
}

/** Fill a template; undefined when a variable has no binding. */
export function fillArnTemplate(template: string, bindings: Record<string, string>): string | undefined {
  let missing = false;
  const out = template.replace(PLACEHOLDER_RE, (_m, name: string) => {
    const v = bindings[name];
    if (v === undefined || v === '') {
      missing = true;
      return '';
    }
    return v;
  });
  return missing ? undefined : out;
}

/**
 * Does a policy resource fit a catalog ARN format? An ARN fits when the format's regular
 * expression matches it (a trailing `bucket/in/*` fits, `*` being a name character there). A
 * pattern with wildcards also fits when its scope (partition, service, region, account) is
 * concrete and fits the format, and its resource part can match the format's resource part with
 * variables as `*` (`log-group:G:*` covers the streams of `G`).
 */
export function resourceFitsTemplate(resource: string, template: string): boolean {
  if (arnFitsTemplate(resource, template)) return true;
  if (!/[*?]/.test(resource)) return false;
  // The scope (`arn:partition:service:region:account:`) must be concrete and fit exactly;
  // only the resource part is compared as patterns.
  const [rHead, rTail] = splitAtFifthColon(resource);
  const [tHead, tTail] = splitAtFifthColon(template);
  if (rTail === undefined || tTail === undefined || /[*?]/.test(rHead)) return false;
  return arnFitsTemplate(rHead, tHead) && globsIntersect(rTail, tTail.replace(/\$\{[A-Za-z0-9]+\}/g, '*'));
}

function splitAtFifthColon(s: string): [string, string | undefined] {
  let i = -1;
  for (let n = 0; n < 5; n++) {
    i = s.indexOf(':', i + 1);
    if (i < 0) return [s, undefined];
  }
  return [s.slice(0, i + 1), s.slice(i + 1)];
}
