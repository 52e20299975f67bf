import { csvDocument, escapeHtml } from '@waypoint/service-kit';
import type { FindingIntegrity } from '../findings/finding-answer.js';
import { RULE_CATALOGUE } from '../rules/catalogue.js';
import type { Citation, Finding } from '../rules/rule.js';

/**
 * An audit report of a journey or an organisation over a period: findings, a summary per rule,
 * and integrity. It holds ids, codes and times only: never personal data.
 */
export interface ReportFinding extends Finding {
  readonly journeyId: string;
  /** The legal sources the rule version cites. */
  readonly citations: readonly Citation[];
  /** `unverifiable` when a hash chain of the journey's event streams is broken. */
  readonly integrity: FindingIntegrity;
}

const citationText = (citations: readonly Citation[]): string =>
  citations.map((citation) => `${citation.instrument} ${citation.article}`).join('; ');

export interface AuditReport {
  readonly kind: 'journey' | 'organisation';
  readonly subjectId: string;
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly generatedAt: string;
  readonly journeys: number;
  readonly findings: readonly ReportFinding[];
  readonly integrity: { readonly streamsChecked: number; readonly broken: readonly string[] };
  readonly decisions: number;
}

export interface RuleSummary {
  readonly ruleId: string;
  readonly title: string;
  readonly breaches: number;
  readonly flags: number;
}

export function summarise(report: AuditReport): RuleSummary[] {
  const titles = new Map(RULE_CATALOGUE.map((rule) => [rule.id, rule.title]));
  const byRule = new Map<string, { breaches: number; flags: number }>();
  for (const finding of report.findings) {
    const counts = byRule.get(finding.ruleId) ?? { breaches: 0, flags: 0 };
    if (finding.severity === 'breach') counts.breaches += 1;
    else counts.flags += 1;
    byRule.set(finding.ruleId, counts);
  }
  return [...byRule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ruleId, counts]) => ({ ruleId, title: titles.get(ruleId) ?? ruleId, ...counts }));
}

const CSV_COLUMNS = [
  'journeyId',
  'ruleId',
  'ruleVersion',
  'severity',
  'occurredAt',
  'reason',
  'evidenceEventIds',
  'integrity',
  'citations',
] as const;

/** One row per finding. */
export function reportCsv(report: AuditReport): string {
  return csvDocument(
    CSV_COLUMNS,
    report.findings.map((finding) => [
      finding.journeyId,
      finding.ruleId,
      String(finding.ruleVersion),
      finding.severity,
      finding.occurredAt,
      finding.reason,
      finding.evidenceEventIds.join(' '),
      finding.integrity,
      citationText(finding.citations),
    ]),
  );
}

const STYLE = `
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 1100px; padding: 0 1.5rem; }
  header { border-bottom: 3px solid #1f4e79; margin-bottom: 1.5rem; padding-bottom: .75rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; color: #1f4e79; }
  h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; color: #1f4e79; }
  dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 0; }
  dl.meta dt { font-weight: 600; color: #555; }
  dl.meta dd { margin: 0; font-family: ui-monospace, monospace; font-size: .85rem; }
  .cards { display: flex; gap: 1rem; flex-wrap: wrap; }
  .card { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; min-width: 9rem; }
  .card strong { display: block; font-size: 1.6rem; }
  .card.breach strong { color: #b42318; } .card.flag strong { color: #b54708; } .card.ok strong { color: #067647; }
  table { width: 100%; border-collapse: collapse; font-size: .85rem; }
  th, td { text-align: left; border-bottom: 1px solid #d0d7de; padding: .35rem .5rem; vertical-align: top; }
  th { background: #f3f6f9; }
  #findings td:first-child { white-space: nowrap; }
  td.mono, span.mono { font-family: ui-monospace, monospace; font-size: .78rem; word-break: break-all; }
  .sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; padding: .1rem .4rem; border-radius: 4px; }
  .sev.breach { background: #fee4e2; color: #912018; } .sev.flag { background: #fef0c7; color: #93370d; }
  .sev.unverifiable { background: #eaecf0; color: #344054; }
  .cite { display: block; color: #555; font-size: .75rem; }
  footer { margin-top: 2rem; font-size: .75rem; color: #666; border-top: 1px solid #d0d7de; padding-top: .5rem; }
  @page { size: A4 landscape; margin: 14mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
    .card { break-inside: avoid; }
    tr { break-inside: avoid; }
    thead { display: table-header-group; }
    a { color: inherit; text-decoration: none; }
  }
`;

/** A printable HTML report: one self-contained page, inline CSS, no external assets. */
export function reportHtml(report: AuditReport): string {
  const summary = summarise(report);
  const breaches = report.findings.filter((finding) => finding.severity === 'breach').length;
  const flags = report.findings.length - breaches;
  const subject = report.kind === 'journey' ? 'Journey' : 'Organisation';
  const summaryRows = summary
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.ruleId)}</td><td>${escapeHtml(row.title)}</td><td>${String(row.breaches)}</td><td>${String(row.flags)}</td></tr>`,
    )
    .join('');
  const findingRows = report.findings
    .map(
      (finding) =>
        `<tr><td>${escapeHtml(finding.occurredAt)}</td><td>${escapeHtml(finding.ruleId)} v${String(finding.ruleVersion)}<span class="cite">${escapeHtml(citationText(finding.citations))}</span></td>` +
        `<td><span class="sev ${finding.severity}">${finding.severity}</span>${finding.integrity === 'unverifiable' ? ' <span class="sev unverifiable">unverifiable</span>' : ''}</td><td>${escapeHtml(finding.reason)}</td>` +
        `<td class="mono">${escapeHtml(finding.journeyId)}</td><td class="mono">${finding.evidenceEventIds.map(escapeHtml).join('<br>')}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waypoint audit report: ${escapeHtml(subject.toLowerCase())} ${escapeHtml(report.subjectId)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Compliance audit report</h1>
<dl class="meta">
<dt>${subject}</dt><dd>${escapeHtml(report.subjectId)}</dd>
<dt>Period</dt><dd>${escapeHtml(report.from)} to ${escapeHtml(report.to)}</dd>
<dt>Known as of</dt><dd>${escapeHtml(report.asOf)}</dd>
<dt>Generated</dt><dd>${escapeHtml(report.generatedAt)}</dd>
</dl>
</header>
<section class="cards" aria-label="Totals">
<div class="card"><strong>${String(report.journeys)}</strong>journeys audited</div>
<div class="card breach"><strong>${String(breaches)}</strong>breaches</div>
<div class="card flag"><strong>${String(flags)}</strong>flags for review</div>
<div class="card"><strong>${String(report.decisions)}</strong>decisions logged</div>
<div class="card ${report.integrity.broken.length === 0 ? 'ok' : 'breach'}"><strong>${String(report.integrity.broken.length)}</strong>broken hash chains of ${String(report.integrity.streamsChecked)} streams</div>
</section>
<h2>Findings by rule</h2>
<table id="summary"><thead><tr><th>Rule</th><th>Title</th><th>Breaches</th><th>Flags</th></tr></thead><tbody>${summaryRows || '<tr><td colspan="4">No findings.</td></tr>'}</tbody></table>
<h2>Findings</h2>
<table id="findings"><thead><tr><th>Occurred</th><th>Rule</th><th>Severity</th><th>Reason</th><th>Journey</th><th>Evidence (event ids)</th></tr></thead><tbody>${findingRows || '<tr><td colspan="6">No findings.</td></tr>'}</tbody></table>
${report.integrity.broken.length > 0 ? `<h2>Broken hash chains</h2><p>Findings of journeys with a broken chain are marked unverifiable: they may have been computed from altered events.</p><ul>${report.integrity.broken.map((stream) => `<li class="mono">${escapeHtml(stream)}</li>`).join('')}</ul>` : ''}
<footer>Waypoint audit service. Rules cite their sources in the rule catalogue (docs/rules.md). This report contains identifiers, codes and dates only: no personal data.</footer>
</body>
</html>
`;
}
