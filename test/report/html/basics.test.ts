import { describe, expect, it } from 'vitest';
import { esc, jsonForScript } from '../../../src/report/html/escape';
import { parseCsv, toCsv, columnIndex } from '../../../src/report/html/csv';
import { fmtBitRate, fmtBytes, fmtCount, fmtDuration, fmtEnergy, fmtNumber, fmtPct, fmtRatio, fmtTokens, fmtUsd, timeUnit } from '../../../src/report/html/format';

describe('escaping', () => {
  it('esc turns markup into text', () => {
    expect(esc('<img src=x onerror="alert(1)">&\'')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
  });

  it('jsonForScript cannot close its script element and parses back to the same value', () => {
    const v = { name: '</script><script>alert(1)</script>', c: '<!-- & \u2028 \u2029', n: 1.5 };
    const s = jsonForScript(v);
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(s)).toEqual(v);
  });
});

describe('CSV', () => {
  it('parses quoted fields, doubled quotes, CRLF and a BOM', () => {
    const t = parseCsv('\ufeffa,b,c\r\n1,"x, ""y""",3\r\n"multi\nline",,\n\n');
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([['1', 'x, "y"', '3'], ['multi\nline', '', '']]);
    expect(columnIndex(t, 'nope', 'B')).toBe(1);
  });

  it('round-trips through toCsv and defuses spreadsheet formulas', () => {
    const rows = [['a,b', 1.5, '"q"'], ['=HYPERLINK("x")', -2, '-3']];
    const text = toCsv(['s', 'n', 'm'], rows);
    const back = parseCsv(text);
    expect(back.rows[0]).toEqual(['a,b', '1.5', '"q"']);
    expect(back.rows[1][0]).toBe('\'=HYPERLINK("x")');
    expect(back.rows[1][1]).toBe('-2');
    expect(back.rows[1][2]).toBe('-3');
  });
});

describe('formatting', () => {
  it('reads as the executive summary quotes it', () => {
    expect(fmtTokens(1.4e11)).toBe('140 B');
    expect(fmtTokens(352468.87)).toBe('352 k');
    expect(fmtDuration(397404.95)).toBe('4.6 days');
    expect(fmtDuration(35410)).toBe('9.8 h');
    expect(fmtDuration(90)).toBe('1.5 min');
    expect(fmtRatio(11.2228)).toBe('11×');
    expect(fmtRatio(1.4512)).toBe('1.45×');
    expect(fmtRatio(0.7058)).toBe('0.71×');
    expect(fmtUsd(10485.83)).toBe('USD 10,486');
    expect(fmtUsd(2.5e6)).toBe('USD 2.5 M');
    expect(fmtPct(0.26333)).toBe('26.3 %');
    expect(fmtPct(0.0123)).toBe('1.2 %');
    expect(fmtBytes(24851276791808)).toBe('24.9 TB');
    expect(fmtBitRate(1.25e9)).toBe('10 Gbit/s');
    expect(fmtEnergy(42530309480.89)).toBe('11.8 MWh');
    expect(fmtCount(11643)).toBe('11,643');
    expect(fmtNumber(0)).toBe('0');
  });

  it('picks a time unit that keeps axis numbers small', () => {
    expect(timeUnit(397404).label).toBe('days');
    expect(timeUnit(35410).label).toBe('hours');
    expect(timeUnit(900).label).toBe('minutes');
    expect(timeUnit(30).label).toBe('seconds');
  });
});
