import { describe, expect, it } from 'vitest';
import { junitXml } from '../../src/check/junit';
import { formatValidation, rowPasses, validationJunit, type ValidationRow } from '../../src/validate/validate';

const row = (c: string, errorPct: number, group = 'g'): ValidationRow => ({
  case: c, group, metric: 'm', published: 100, predicted: 100 + errorPct, errorPct, source: 's', tag: 'V', scenario: 'x',
});

describe('JUnit XML', () => {
  it('counts tests, failures and skips, and escapes', () => {
    const xml = junitXml('t', [{ name: 'a & b', cases: [
      { classname: 'c', name: 'ok' },
      { classname: 'c', name: 'bad <1>', failure: 'x > y', details: 'more "detail"' },
      { classname: 'c', name: 'info', skipped: 'reports only' },
    ] }]);
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="t" tests="3" failures="1" errors="0" skipped="1">/);
    expect(xml).toContain('<testsuite name="a &amp; b" tests="3" failures="1" errors="0" skipped="1" time="0.000">');
    expect(xml).toContain('<testcase classname="c" name="bad &lt;1&gt;" time="0.000">');
    expect(xml).toContain('<failure message="x &gt; y">more &quot;detail&quot;</failure>');
    expect(xml).toContain('<skipped message="reports only"/>');
  });
});

describe('dtsim validate: pass/fail per row and JUnit', () => {
  const rows = [row('a', 5), row('b', -30), row('c', 2, 'h'), { ...row('d', NaN, 'h'), predicted: NaN, error: 'boom' }];

  it('a row passes within the 25 % limit and with a prediction', () => {
    expect(rows.map(rowPasses)).toEqual([true, false, true, false]);
    const text = formatValidation(rows);
    expect(text).toMatch(/^case\s+metric\s+published\s+predicted\s+error\s+tag\s+result$/m);
    expect(text).toMatch(/^b\s+m\s+100\.0\s+70\.00\s+-30\.0%\s+\[V\]\s+FAIL$/m);
    expect(text).toMatch(/^a\s+m\s+100\.0\s+105\.0\s+\+5\.0%\s+\[V\]\s+pass$/m);
    expect(text).toMatch(/max \|error\|.*NOT MET, 2 rows FAIL/);
    expect(text).toMatch(/FAIL: every target gates \(exit code 1\)$/);
  });

  it('one suite per group plus the summary targets', () => {
    const suites = validationJunit(rows);
    expect(suites.map((s) => s.name)).toEqual(['g', 'h', 'summary']);
    expect(suites[0].cases.map((c) => c.failure !== undefined)).toEqual([false, true]);
    expect(suites[1].cases[1].failure).toMatch(/no prediction: boom/);
    expect(suites[2].cases.map((c) => c.name)).toEqual(['median |error| <= 10%', 'max |error| <= 25%']);
    expect(junitXml('dtsim validate', suites)).toMatch(/tests="6" failures="3"/);
  });
});
