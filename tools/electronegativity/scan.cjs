#!/usr/bin/env node
'use strict';
/**
 * Runs electronegativity through its runner, not its CLI, and writes the findings as one JSON
 * document: node scan.cjs <folder> <electron version> <out.json>.
 *
 * The CLI's report writer (dist/util/file.js) writes the CSV header and the rows in two
 * asynchronous writes it does not order, so a report could begin mid-row or hold the header only,
 * and its exit code is 0 either way. The runner returns the findings instead; this script writes
 * them synchronously, once, after the scan has finished, and exits 1 on any error that left a
 * file unscanned.
 */
const { writeFileSync } = require('node:fs');
const { resolve } = require('node:path');
const run = require('@doyensec/electronegativity/dist/runner.js');

const [input, electronVersion, out] = process.argv.slice(2);
if (!input || !electronVersion || !out) {
  process.stderr.write('usage: node scan.cjs <folder> <electron version> <out.json>\n');
  process.exit(2);
}

run({ input: resolve(input), isRelative: true, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: [], parserPlugins: [] }, false)
  .then((result) => {
    // A tolerable error is a parser warning on a file that was still scanned: said, not fatal.
    // Any other error left a file unscanned, and a file left unscanned must not pass quietly.
    for (const warning of result.errors.filter((e) => e.tolerable)) process.stderr.write(`electronegativity warning in ${warning.file}: ${warning.message}\n`);
    const unscanned = result.errors.filter((e) => !e.tolerable);
    if (unscanned.length > 0) throw new Error(`electronegativity could not parse: ${JSON.stringify(unscanned)}`);
    const findings = result.issues.map((issue) => ({
      check: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      location: `${issue.location.line}:${issue.location.column}`,
      sample: issue.sample ?? '',
      description: issue.description,
    }));
    writeFileSync(out, JSON.stringify({ tool: 'electronegativity', findings }));
  })
  .catch((error) => {
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  });
