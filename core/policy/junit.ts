// JUnit XML for policy tests, so an HR team's own CI shows them like any other test suite.
// With coverage, each policy's suite carries its figures as properties and what its tests
// never exercised as system-out.
import type { CoverageReport } from './coverage.ts';
import { summaryFigures, uncoveredLines } from './coverage-text.ts';
import type { TestCaseResult } from './run-tests.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junitXml(results: TestCaseResult[], coverage?: CoverageReport): string {
  const byPolicy = new Map<string, TestCaseResult[]>();
  // A policy without tests still gets a suite when coverage is asked for: it is all uncovered.
  for (const p of coverage?.policies ?? []) byPolicy.set(p.policyId, []);
  for (const r of results) byPolicy.set(r.policyId, [...(byPolicy.get(r.policyId) ?? []), r]);
  const failures = results.filter((r) => !r.passed).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="appraise policy tests" tests="${results.length}" failures="${failures}">`];
  for (const [policyId, cases] of byPolicy) {
    const f = cases.filter((c) => !c.passed).length;
    const time = cases.reduce((s, c) => s + c.durationMs, 0) / 1000;
    lines.push(`  <testsuite name="${esc(policyId)}" tests="${cases.length}" failures="${f}" time="${time.toFixed(3)}">`);
    const covered = coverage?.policies.find((p) => p.policyId === policyId);
    if (covered) {
      lines.push('    <properties>');
      for (const [key, , value] of summaryFigures(covered.summary)) lines.push(`      <property name="coverage.${key}" value="${esc(value)}"/>`);
      lines.push('    </properties>');
    }
    for (const c of cases) {
      lines.push(`    <testcase classname="${esc(policyId)}" name="${esc(c.name)}" file="${esc(c.file)}" time="${(c.durationMs / 1000).toFixed(3)}">`);
      if (!c.passed) {
        const msg = `expected fired [${c.expected.fired.join(', ')}], got [${c.actual.fired.join(', ')}]`;
        lines.push(`      <failure message="${esc(msg)}">${esc(`undecided: [${c.actual.indeterminate.join(', ')}]`)}</failure>`);
      }
      lines.push('    </testcase>');
    }
    const uncovered = covered ? uncoveredLines(covered) : [];
    if (uncovered.length) lines.push(`    <system-out>${esc(['Not covered by any test:', ...uncovered].join('\n'))}</system-out>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
