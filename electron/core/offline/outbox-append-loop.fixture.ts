// Appends to the outbox journal in a loop and prints each seq once its append
// has resolved, until killed: the crash test's child process.
import { openOutboxJournal } from './outbox-journal';

const [path, keyHex, round] = process.argv.slice(2);
if (!path || !keyHex || !round) throw new Error('usage: outbox-append-loop.fixture.ts PATH KEY_HEX ROUND');
const journal = await openOutboxJournal(path, Buffer.from(keyHex, 'hex'));
process.stdout.write(`open ${journal.recovery.truncatedBytes}\n`);
for (let n = 0; ; n += 1) {
  const entry = await journal.append({ round: Number(round), n, note: `edit ${n} of round ${round}` });
  process.stdout.write(`${entry.seq}\n`);
}
