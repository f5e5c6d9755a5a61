import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { buildPage } from '../../../src/report/html/page';
import { executiveSummary, valueAt, type Paragraph } from '../../../src/report/html/summary-text';
import type { ReportInputs } from '../../../src/report/html/types';
import { row, run, summary } from './fixtures';

const text = (p: Paragraph) => p.map((s) => (typeof s === 'string' ? s : s.text)).join('');

describe('executive summary', () => {
  it('gives the time and cost ratios when both runs finished', () => {
    const [head, eff] = executiveSummary(summary());
    expect(text(head)).toBe('network trains 100 B tokens in 17 min, 10× the time of cluster (1.7 min), at 1.2× the cost (USD 2,400 against USD 2,000).');
    expect(text(eff)).toMatch(/^Its tokens are not all worth .* 0\.84 .* 84 B effective tokens; per effective token it takes 12× the baseline’s time\.$/);
  });

  it('never gives a ratio for an unfinished run, and says how far it got', () => {
    const s = summary({
      run: run('network', { finished: false, progress: 0.42, tokensTrained: 4.2e10 }),
      comparison: { bothFinished: false, note: 'network did not finish: 42 % of the tokens' },
    });
    const all = executiveSummary(s).map(text).join(' ');
    expect(all).toMatch(/network did not finish: within its time limit of 17 min it trained 42 % of the 100 B-token budget \(42 B tokens\)/);
    expect(all).toMatch(/No time or cost ratio is given/);
    expect(all).toContain('network did not finish: 42 % of the tokens');
    expect(all).not.toMatch(/×/);
  });

  it('every figure names its path in summary.json and carries that value', () => {
    const s = summary();
    for (const p of executiveSummary(s)) for (const seg of p) {
      if (typeof seg !== 'string' && seg.key) expect(valueAt(s, seg.key)).toBe(seg.value);
    }
  });
});

function inputs(name: string): ReportInputs {
  const s = summary({ scenario: { name, description: '</script><script>window.__x=1</script>', tokens: 1e11, model: '<b>m</b>' } });
  return {
    summary: { ...s, run: { ...s.run, label: '<i onmouseover=alert(1)>net' } },
    timeseries: [row('<i onmouseover=alert(1)>net', 100, 1e10), row('cluster', 50, 1e11, { event: 'end' })],
    links: null, nodes: null, economy: null,
    scenario: null,
    files: [{ name: 'summary.json', present: true }, { name: 'links.csv', present: false, note: '<script>' }],
  };
}

describe('page', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const html = buildPage(inputs(hostile), 'console.log("</script>")');

  it('escapes every scenario-supplied string', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<i onmouseover');
    expect(html).not.toContain('<b>m</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Exactly two script elements: the inert JSON and the bundle.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('allows only its own script, by hash, and no network', () => {
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('inlines the chart data as JSON that parses back', () => {
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1];
    const data = JSON.parse(json) as { charts: { id: string }[] };
    expect(data.charts.map((c) => c.id)).toEqual(['progress', 'throughput-0', 'throughput-1', 'gpus-online', 'breakdown', 'site-time', 'topology', 'gpu-mix', 'site-cost']);
  });

  it('says what is missing instead of failing', () => {
    const bare = buildPage({ ...inputs('x'), timeseries: null }, '');
    expect(bare).toContain('timeseries.csv was not found');
    expect(bare).toContain('scenario.json is missing');
  });
});
