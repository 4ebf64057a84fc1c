// The crash tests' child process: works on the outbox journal in a loop and
// reports each step once it has resolved, until killed.
//   append: append one edit after another; prints its seq.
//   churn:  append three, acknowledge the first two, compact; prints "a SEQ", "K SEQ SEQ" (acknowledging),
//           "k SEQ SEQ" (acknowledged), "c".
//   fill:   append until a write fails (run it under a file size limit), then once more;
//           prints each seq, then "error CODE" and "again CODE: MESSAGE", and exits.
import { openOutboxJournal } from './outbox-journal';

const [path, keyHex, round, mode = 'append'] = process.argv.slice(2);
if (!path || !keyHex || !round) throw new Error('usage: outbox-append-loop.fixture.ts PATH KEY_HEX ROUND [append|churn|fill]');
const journal = await openOutboxJournal(path, Buffer.from(keyHex, 'hex'));
process.stdout.write(`open ${journal.recovery.truncatedBytes}\n`);
const codeOf = (error: unknown) => (error as { code?: string }).code;
if (mode === 'fill') {
  try {
    for (let n = 0; ; n += 1) process.stdout.write(`${(await journal.append({ round: Number(round), n, note: 'y'.repeat(300) })).seq}\n`);
  } catch (error) {
    process.stdout.write(`error ${codeOf(error)}\n`);
  }
  await journal
    .append({ round: Number(round), n: -1 })
    .catch((error: unknown) => process.stdout.write(`again ${codeOf(error)}: ${(error as Error).message}\n`));
  process.exit(0);
}
for (let n = 0; ; n += 1) {
  if (mode === 'append') {
    const entry = await journal.append({ round: Number(round), n, note: `edit ${n} of round ${round}` });
    process.stdout.write(`${entry.seq}\n`);
    continue;
  }
  const seqs: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const entry = await journal.append({ round: Number(round), n, i, note: 'x'.repeat(2000) });
    seqs.push(entry.seq);
    process.stdout.write(`a ${entry.seq}\n`);
  }
  // "K" before: a kill between it and "k" leaves these two either pending or acknowledged.
  process.stdout.write(`K ${seqs[0]} ${seqs[1]}\n`);
  await journal.acknowledge(seqs.slice(0, 2));
  process.stdout.write(`k ${seqs[0]} ${seqs[1]}\n`);
  await journal.compact();
  process.stdout.write('c\n');
}
