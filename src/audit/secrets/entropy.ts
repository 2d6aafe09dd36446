/**
 * Shannon entropy of a string, in bits per character: H = −Σ p(c)·log2 p(c) over the distinct
 * characters c of the string, p(c) their relative frequency. A random string over an alphabet of
 * n symbols approaches log2(n) (6 for base64, 4 for hex) once it is much longer than n; English
 * words and identifiers sit near 2.5–3.5. Pure.
 */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const n = [...s].length;
  let h = 0;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}
