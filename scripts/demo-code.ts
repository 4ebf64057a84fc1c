/**
 * `npm run -s demo:code`: the demo officer's current authenticator code, for
 * trying the console without an authenticator app. Reads the demo sign-in that
 * `npm start` kept in the data directory on its first run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { generate } from 'otplib';
import { demoSignInFile, type DemoSignIn } from './demo-sign-in';

async function main() {
  const file = demoSignInFile();
  if (!existsSync(file)) {
    console.error(`demo:code: no demo sign-in at ${file}; run \`npm start\` once first`);
    process.exit(1);
  }
  const { totpSecret } = JSON.parse(readFileSync(file, 'utf8')) as DemoSignIn;
  const secondsLeft = 30 - (Math.floor(Date.now() / 1000) % 30);
  console.log(await generate({ secret: totpSecret }));
  console.error(`(valid for ${secondsLeft} more seconds; each code is accepted once)`);
}

void main();
