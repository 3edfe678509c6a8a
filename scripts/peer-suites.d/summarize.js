// Turns a peer suite's `npm test` output into one line per case and the counts. A case is what the suite's runners
// count: each tape assertion (`ok N description` / `not ok N description`, named `tape: <test> / <description>`)
// and each mocha test of the spec reporter (drachtio-srf prints its unit tests' output first; `mocha: <title>`).
// Expectations (one per line, `kind | case name | reason`): `exclude` for a case that fails against the real
// engine too, `xfail` for one waiting for another issue's work (an xfail that passes is reported, to drop it).
// Usage: node summarize.js [--mocha] <npm-test.log> [<expectations file>]; exit 0 when every case but the expected
// passed. --mocha: the suite runs mocha tests too, and a run without their summary is incomplete.
'use strict';
const fs = require('fs');

const args = process.argv.slice(2);
const withMocha = args[0] === '--mocha';
if (withMocha) args.shift();
const lines = fs.readFileSync(args[0], 'utf8').split(/\r?\n/);
const expected = new Map();
if (args[1] && fs.existsSync(args[1])) {
  for (const line of fs.readFileSync(args[1], 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [kind, name, reason] = line.split('|').map((s) => s.trim());
    if (kind !== 'exclude' && kind !== 'xfail') throw new Error(`bad expectation: ${line}`);
    expected.set(name, { kind, reason });
  }
}

const cases = [];
let group = '';
let plan = null;
let mochaSummary = null;
for (const line of lines) {
  let m;
  if ((m = line.match(/^\s+[✔✓] (.+?)(?: \(\d+ms\))?$/))) cases.push({ name: `mocha: ${m[1]}`, ok: true });
  else if ((m = line.match(/^\s+\d+\) (.+)$/)) && mochaSummary === null) cases.push({ name: `mocha: ${m[1]}`, ok: false });
  else if ((m = line.match(/^\s+(\d+) passing\b/))) mochaSummary = { passing: Number(m[1]), failing: 0 };
  else if ((m = line.match(/^\s+(\d+) failing\b/)) && mochaSummary) mochaSummary.failing = Number(m[1]);
  else if ((m = line.match(/^1\.\.(\d+)$/))) plan = Number(m[1]);
  else if (plan === null && (m = line.match(/^# (.+)$/))) group = m[1].trim();
  else if (plan === null && (m = line.match(/^(not )?ok \d+\b ?(.*)$/))) {
    cases.push({ name: `tape: ${group} / ${m[2].trim()}`, ok: !m[1], tape: true });
  }
}

const totals = { pass: 0, fail: 0, excluded: 0, xfail: 0, xpass: 0 };
for (const c of cases) {
  const exp = expected.get(c.name);
  let verdict;
  if (exp && exp.kind === 'exclude') { verdict = 'EXCLUDED'; totals.excluded++; }
  else if (exp) { verdict = c.ok ? 'XPASS' : 'XFAIL'; totals[c.ok ? 'xpass' : 'xfail']++; }
  else { verdict = c.ok ? 'PASS' : 'FAIL'; totals[c.ok ? 'pass' : 'fail']++; }
  console.log(`${verdict.padEnd(8)} ${c.name}${exp ? ` (${exp.reason})` : ''}`);
}
const names = new Set(cases.map((c) => c.name));
for (const name of expected.keys()) if (!names.has(name)) console.log(`MISSING  ${name} (expected in the suite, not run)`);
const tape = cases.filter((c) => c.tape).length;
const mocha = cases.length - tape;
const complete = plan !== null && plan === tape && (mochaSummary === null
  ? !withMocha && mocha === 0 : mochaSummary.passing + mochaSummary.failing === mocha);
console.log(`cases: ${cases.length} (${totals.pass} passed, ${totals.fail} failed, ${totals.excluded} excluded, `
  + `${totals.xfail} expected to fail, ${totals.xpass} expected to fail but passed): `
  + `${mocha} mocha unit tests, ${tape} tape assertions (plan ${plan === null ? 'missing' : '1..' + plan})`);
if (!complete) console.log('INCOMPLETE: the suite did not run to its end (it died or hit the deadline)');
process.exit(complete && totals.fail === 0 ? 0 : 1);
