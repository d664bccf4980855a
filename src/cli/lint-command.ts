import { formatDiagnostic, isError } from '../sigma/diagnostics.js';
import { loadRuleSetOrReport } from './load-rules-or-report.js';
import type { CompiledException } from '../rules/exceptions.js';
import type { FieldScan } from '../prefilter/prefilter.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** Compiles rules and reports each file as active, inactive (another log source), overrides or error. */
export async function runLint(
  dirs: readonly string[],
  io: { stdout: NodeJS.WritableStream },
  now: Date = new Date(),
): Promise<ExitCode> {
  const loaded = await loadRuleSetOrReport(dirs, io.stdout);
  if (loaded === undefined) return EXIT.usage;
  const { files, ruleSet } = loaded;
  const counts = { active: 0, inactive: 0, overrides: 0, exceptions: 0, error: 0 };
  const bySource = new Map<string, number>();
  const optionalFeatures = new Map<string, number>();
  let warnings = 0;
  for (const file of files) {
    counts[file.status]++;
    const rules = file.rules
      .map((r) => `${r.logsource}${r.id === undefined ? '' : ` ${r.id}`} "${r.title}"`)
      .join('; ');
    const detail = file.status === 'exceptions' ? describeExceptions(file.exceptions, now) : rules;
    io.stdout.write(`${file.status.padEnd(10)} ${file.file}${detail === '' ? '' : `  ${detail}`}\n`);
    for (const d of file.diagnostics) {
      const note =
        d.feature === undefined
          ? ''
          : ` [unsupported: ${d.feature}${d.optionalInSpec === true ? ', optional in the Sigma specification' : ''}]`;
      io.stdout.write(`           ${formatDiagnostic(d)}${note}\n`);
      if (!isError(d)) warnings++;
      if (d.feature !== undefined)
        optionalFeatures.set(d.feature, (optionalFeatures.get(d.feature) ?? 0) + 1);
    }
    if (file.status === 'active')
      for (const r of file.rules)
        if (r.source !== undefined) bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
  }
  io.stdout.write(
    `\n${files.length} files: ${counts.active} active, ${counts.inactive} inactive (other log sources), ${counts.overrides} overrides, ${counts.exceptions} exceptions, ${counts.error} with errors.${warnings > 0 ? ` ${warnings} warning(s); rules with only warnings load.` : ''}\n`,
  );
  if (bySource.size > 0)
    io.stdout.write(`Active rules by source: ${[...bySource].map(([s, n]) => `${s} ${n}`).join(', ')}.\n`);
  for (const [source, state] of ruleSet.prefilter.sources) {
    io.stdout.write(
      state.state === 'on'
        ? `Prefilter for ${source}: on; a body must contain ${state.gate === undefined ? '' : `"${state.gate}" and, `}for some rule, ${state.rules.map(describeClauses).join(' | ')}.${describeScan(state.scan)}\n`
        : `Prefilter for ${source}: off, because ${state.reason}; every ${source} body is parsed.\n`,
    );
  }
  if (optionalFeatures.size > 0)
    io.stdout.write(
      `Unsupported features used: ${[...optionalFeatures].map(([f, n]) => `${f} (${n})`).join(', ')}.\n`,
    );
  return counts.error > 0 ? EXIT.usage : EXIT.ok;
}

function describeScan(scan: FieldScan | undefined): string {
  if (scan === undefined) return '';
  const anchors = scan.pivot?.anchors;
  const where =
    scan.pivot === undefined || anchors === undefined
      ? ''
      : `, read only where ${anchors.map((a) => `"${a}"`).join(' or ')} stands in ${scan.pivot.field.name}`;
  return ` Its embedded events are decided by the fields ${scan.fields.map((f) => f.name).join(', ')}${where}.`;
}

function describeClauses(clauses: readonly (readonly string[])[]): string {
  return clauses.map((c) => (c.length === 1 ? `"${c[0] ?? ''}"` : `("${c.join('" or "')}")`)).join(' and ');
}

function describeExceptions(exceptions: readonly CompiledException[], now: Date): string {
  if (exceptions.length === 0) return 'no active exception';
  return exceptions
    .map((e) => `${e.id}${e.expiresAt !== undefined && now >= e.expiresAt ? ' (expired)' : ''}`)
    .join(', ');
}
