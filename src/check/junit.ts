/**
 * JUnit XML, the test-report format CI systems read (GitHub Actions reporters, GitLab, Jenkins):
 * one testsuite per group of checks, one testcase per check, <failure> when it failed.
 * Used by `dtsim check`, `dtsim validate --junit` and `npm run bench -- --junit`.
 */
export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  /** Present when the case failed: the one-line message; `details` goes in the element body. */
  readonly failure?: string;
  readonly details?: string;
  /** A case that only reports (no target): written as skipped with this reason. */
  readonly skipped?: string;
  readonly timeS?: number;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
}

const xml = (s: string) => s
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  // XML 1.0 forbids most control characters, even escaped.
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const count = (f: (c: JunitCase) => boolean) => suites.reduce((n, s) => n + s.cases.filter(f).length, 0);
  const tests = count(() => true), failures = count((c) => c.failure !== undefined), skipped = count((c) => c.skipped !== undefined && c.failure === undefined);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`];
  for (const s of suites) {
    const f = s.cases.filter((c) => c.failure !== undefined).length;
    const sk = s.cases.filter((c) => c.skipped !== undefined && c.failure === undefined).length;
    const time = s.cases.reduce((t, c) => t + (c.timeS ?? 0), 0);
    out.push(`  <testsuite name="${xml(s.name)}" tests="${s.cases.length}" failures="${f}" errors="0" skipped="${sk}" time="${time.toFixed(3)}">`);
    for (const c of s.cases) {
      const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="${(c.timeS ?? 0).toFixed(3)}"`;
      if (c.failure !== undefined) out.push(`${open}>`, `      <failure message="${xml(c.failure)}">${xml(c.details ?? c.failure)}</failure>`, '    </testcase>');
      else if (c.skipped !== undefined) out.push(`${open}>`, `      <skipped message="${xml(c.skipped)}"/>`, '    </testcase>');
      else out.push(`${open}/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
