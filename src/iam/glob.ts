/** IAM wildcard matching, shared by generalisation, quotas and verification. */

const globCache = new Map<string, RegExp>();

/** IAM wildcard match: `*` any run of characters (also `/` and `:`), `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const k = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = globCache.get(k);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    globCache.set(k, re);
  }
  return re.test(value);
}

/**
 * Can two IAM wildcard patterns match a common string? (`*` any run, `?` one character.)
 * Decided exactly by dynamic programming over both patterns.
 */
export function globsIntersect(p: string, q: string): boolean {
  const memo = new Map<number, boolean>();
  const f = (i: number, j: number): boolean => {
    const k = i * (q.length + 1) + j;
    const cached = memo.get(k);
    if (cached !== undefined) return cached;
    let r: boolean;
    if (i === p.length && j === q.length) r = true;
    else if (i < p.length && p[i] === '*') r = f(i + 1, j) || (j < q.length && f(i, j + 1));
    else if (j < q.length && q[j] === '*') r = f(i, j + 1) || (i < p.length && f(i + 1, j));
    else if (i < p.length && j < q.length && (p[i] === q[j] || p[i] === '?' || q[j] === '?'))
      r = f(i + 1, j + 1);
    else r = false;
    memo.set(k, r);
    return r;
  };
  return f(0, 0);
}

/**
 * Is every string that pattern `p` matches also matched by pattern `g`? (IAM wildcards: `*` any
 * run, `?` one character.) Sound: true only when inclusion holds. A `*` of `p` must be met by a
 * `*` of `g`, a `?` of `p` by a `?` or `*` of `g`; that decides every case a policy diff meets
 * (ARN patterns against ARN patterns), and errs towards "not included" otherwise, which the
 * callers read as "not granted today" (reported, never hidden).
 */
export function globSubset(p: string, g: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    p = p.toLowerCase();
    g = g.toLowerCase();
  }
  if (!p.includes('*') && !p.includes('?')) return globMatch(g, p, false);
  const memo = new Map<number, boolean>();
  const f = (i: number, j: number): boolean => {
    const k = i * (g.length + 1) + j;
    const cached = memo.get(k);
    if (cached !== undefined) return cached;
    let r: boolean;
    if (j === g.length) r = i === p.length;
    else if (g[j] === '*') r = f(i, j + 1) || (i < p.length && f(i + 1, j));
    else if (i === p.length) r = false;
    else if (g[j] === '?') r = p[i] !== '*' && f(i + 1, j + 1);
    else r = p[i] === g[j] && p[i] !== '*' && p[i] !== '?' && f(i + 1, j + 1);
    memo.set(k, r);
    return r;
  };
  return f(0, 0);
}
