import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STARTUP_TIMEOUT_MS = 90_000;

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `supportdesk serve` on a free port with a fresh SQLite database, optionally seeded.
 * Returns the base URL and a stop() that kills the server and removes the database.
 */
export async function startBackend({ repoRoot, seedCount = 0 }) {
  const dataDir = await mkdtemp(join(tmpdir(), 'supportdesk-e2e-'));
  const port = await freePort();
  // A real SMTP server on 127.0.0.1 (aiosmtpd) keeping what it receives in a Maildir.
  const mailDir = join(dataDir, 'mail');
  const smtpPort = await freePort();
  const smtp = spawn(
    join(repoRoot, '.venv', 'bin', 'python'),
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', mailDir],
    { cwd: repoRoot, stdio: 'ignore' },
  );
  // The built-in SMTP listener customers' email arrives at.
  const listenPort = await freePort();
  const env = {
    ...process.env,
    EMAIL_LISTEN: `127.0.0.1:${listenPort}`,
    DATABASE_URL: `sqlite+aiosqlite:///${join(dataDir, 'e2e.db')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    EMAIL_SMTP_HOST: '127.0.0.1',
    EMAIL_SMTP_PORT: String(smtpPort),
    EMAIL_SMTP_SECURITY: 'none',
    EMAIL_FROM_ADDRESS: 'help@example.com',
  };

  if (seedCount > 0) {
    const seed = spawnSync('uv', ['run', 'supportdesk', 'seed', '--count', String(seedCount)], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
    });
    if (seed.status !== 0) throw new Error(`seeding failed:\n${seed.stdout}\n${seed.stderr}`);
  }

  let log = '';
  // Its own process group, so stop() can end uv and the Python server it starts together.
  const server = spawn('uv', ['run', 'supportdesk', 'serve'], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (chunk) => (log += chunk));
  server.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolve) => server.once('exit', resolve));

  const baseUrl = `http://127.0.0.1:${port}`;
  async function stop() {
    smtp.kill();
    if (server.exitCode === null) {
      process.kill(-server.pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-server.pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  try {
    await waitForHealth(baseUrl, () => server.exitCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- server log ---\n${log}`);
  }
  // No password exists: a first start prints a one-time link that makes its opener the admin.
  const setupUrl = /(http:\/\/\S+\/welcome#setup=[\w-]+)/.exec(log)?.[1];
  if (!setupUrl) {
    await stop();
    throw new Error(`the backend printed no setup link\n--- server log ---\n${log}`);
  }
  // For requests the tests make themselves, as another client would: an API token of the
  // admin the setup link is for.
  const tokenArgs = ['run', 'supportdesk', 'users', 'token', '--email', 'admin@localhost'];
  const token = spawnSync('uv', tokenArgs, { cwd: repoRoot, env, encoding: 'utf8' });
  if (token.status !== 0) throw new Error(`no API token:\n${token.stdout}\n${token.stderr}`);
  return {
    baseUrl,
    setupUrl,
    apiToken: token.stdout.trim(),
    stop,
    log: () => log,
    mail,
    sendEmail,
  };

  /** Send a raw email to the listener over SMTP, as a customer's mail server would
   * (Python's smtplib: a real SMTP client). */
  function sendEmail(raw, from, to = 'help@example.com') {
    const script =
      'import smtplib, sys\n' +
      `with smtplib.SMTP("127.0.0.1", ${listenPort}, timeout=30) as s:\n` +
      '    s.sendmail(sys.argv[1], [sys.argv[2]], sys.stdin.buffer.read())\n';
    const python = join(repoRoot, '.venv', 'bin', 'python');
    const sent = spawnSync(python, ['-c', script, from, to], { input: raw, encoding: 'utf8' });
    if (sent.status !== 0) throw new Error(`the email was not taken:\n${sent.stderr}`);
  }

  /** The emails the SMTP server has received so far, as raw text, oldest first. */
  async function mail() {
    const arrived = join(mailDir, 'new');
    const names = await readdir(arrived).catch(() => []);
    const files = await Promise.all(
      names.map(async (name) => ({ name, at: (await stat(join(arrived, name))).mtimeMs })),
    );
    files.sort((a, b) => a.at - b.at);
    return Promise.all(files.map(({ name }) => readFile(join(arrived, name), 'utf8')));
  }
}

async function waitForHealth(baseUrl, hasExited) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the backend exited during startup');
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the backend did not answer /healthz within ${STARTUP_TIMEOUT_MS / 1000}s`);
}
