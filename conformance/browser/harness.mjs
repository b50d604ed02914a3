// harness.mjs - what the browser tests share: where graphmock, Debian's
// chromium and the screenshots are, the flags chromium needs here, and
// starting a graphmock on a free port.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GRAPHMOCK_BIN = process.env.GRAPHMOCK_BIN || path.resolve(here, '../../build/release/graphmock');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.SCREENSHOTS || path.resolve(here, '../../build/ui-screenshots');
// What Chromium needs on a closed network, as root, without a GPU.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** graphmock on port 0 with --seed 1 --quiet and @extraArgs: {child, url, stderr()}. */
export async function startGraphmock(extraArgs = []) {
  const child = spawn(GRAPHMOCK_BIN, ['--port', '0', '--seed', '1', '--quiet', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`graphmock did not start: ${stderr}`)), 10000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^graphmock listening on (https?:\/\/\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`graphmock exited with ${code}: ${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr };
}
