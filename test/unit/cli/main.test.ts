import { reportError, run } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { InputError, VerificationError } from '../../../src/errors';

function fakeIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrIsTTY: false,
    now: () => new Date('2026-11-29T00:00:00Z'),
  };
  return io;
}

describe('exit codes (docs/cli.md)', () => {
  it('a failed self-verification is exit 5, names the failing calls and asks for a bug report', () => {
    const io = fakeIo();
    const code = reportError(
      new VerificationError('the generated policy failed self-verification (1 problem(s))', [
        'not allowed: s3:GetObject on arn:aws:s3:::b/k',
      ]),
      io,
      [],
    );
    expect(code).toBe(5);
    expect(io.err).toContain('  not allowed: s3:GetObject on arn:aws:s3:::b/k\n');
    expect(io.err).toContain('This is a bug in policy-tighten');
  });

  it('an input error is exit 1 with its one line', () => {
    const io = fakeIo();
    expect(reportError(new InputError('account snapshot not found: /x'), io, [])).toBe(1);
    expect(io.err).toBe('policy-tighten: account snapshot not found: /x\n');
  });

  it('anything else is an internal error, exit 1, with a stack only under --debug', () => {
    const quiet = fakeIo();
    expect(reportError(new TypeError('boom'), quiet, [])).toBe(1);
    expect(quiet.err).toContain('internal error: boom');
    expect(quiet.err).not.toMatch(/\n\s+at /);
    const loud = fakeIo();
    reportError(new TypeError('boom'), loud, ['--debug']);
    expect(loud.err).toMatch(/\n\s+at /);
  });

  it('a usage error is exit 2 and nothing on stdout', async () => {
    const io = fakeIo();
    expect(await run(['generate', '--function', 'f', '--offline'], io)).toBe(2);
    expect(io.err).toContain('--offline needs a trail');
    expect(io.out).toBe('');
  });
});
