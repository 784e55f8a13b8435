// The local control channel of a server on an embedded database. PGlite's folder belongs to one process: while a
// server holds it, the command line cannot open it, so it asks that server to run the command instead. The server
// writes where it listens and a per-start secret to a 0600 file in its data folder; only a caller on the same
// machine that can read that file is heard. A command that reaches no one changes nothing and says so.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseCommand, UsageError, type Output } from './commands';
import type { Database } from './db/database';
import { TokenError } from './tokens';

const CONTROL_FILE = 'server-control.json';
export const CONTROL_ROUTE = '/control/v1/command';

const controlFile = z.strictObject({ pid: z.number().int().positive(), host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535), secret: z.string().min(32) });
type ControlFile = z.infer<typeof controlFile>;

const commandRequest = z.strictObject({ argv: z.array(z.string().max(256)).max(32) });
const commandAnswer = z.strictObject({ code: z.number().int(), stdout: z.array(z.string()), stderr: z.array(z.string()) });
export type CommandAnswer = z.infer<typeof commandAnswer>;

/** Runs one management command line against `db`, its output and exit code collected (usage errors exit 2). */
export async function runCommandLine(db: Database, argv: string[]): Promise<CommandAnswer> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = { out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
  try {
    const command = parseCommand(argv);
    if (command.kind !== 'manage') throw new UsageError('a running server does not start another');
    await command.run(db, output);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof UsageError || error instanceof TokenError) return { code: 2, stdout, stderr: [...stderr, error.message] };
    throw error;
  }
}

const sameSecret = (given: string, secret: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Serves the command line's requests: from this machine, with the secret of the control file. Token and center
 * changes are in the server's memory before the answer goes back, so a "revoked" printed is already in force.
 */
export function registerControl(app: FastifyInstance, db: Database, secret: string): void {
  app.post(CONTROL_ROUTE, async (request, reply) => {
    const local = request.socket.localAddress !== undefined && request.socket.remoteAddress === request.socket.localAddress;
    const given = request.headers.authorization?.replace(/^Control /, '') ?? '';
    if (!local || !sameSecret(given, secret)) return reply.code(403).send({ success: false, message: 'Not allowed', data: null });
    const body = commandRequest.safeParse(request.body);
    if (!body.success) return reply.code(422).send({ success: false, message: 'Validation Failed', data: null });
    const answer = await runCommandLine(db, body.data.argv);
    await app.tokens.refresh();
    return reply.send(answer);
  });
}

export const controlPath = (dataDir: string) => join(dataDir, CONTROL_FILE);

/** Says where this server listens, for the command line; forgotten when the server stops. */
export function writeControlFile(dataDir: string, listening: { host: string; port: number }, secret: string): () => void {
  const path = controlPath(dataDir);
  // A server on every interface is reached on loopback; one bound to an address, on that address.
  const host = listening.host === '0.0.0.0' ? '127.0.0.1' : listening.host === '::' ? '::1' : listening.host;
  writeFileSync(path, JSON.stringify({ pid: process.pid, host, port: listening.port, secret } satisfies ControlFile), { mode: 0o600 });
  return () => rmSync(path, { force: true });
}

export const newControlSecret = () => randomBytes(32).toString('base64url');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The server holding this data folder, if one runs; a file left by a server that died is removed. */
export function runningServer(dataDir: string): ControlFile | undefined {
  let text: string;
  try {
    text = readFileSync(controlPath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = controlFile.safeParse((() => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  })());
  if (parsed.success && alive(parsed.data.pid)) return parsed.data;
  rmSync(controlPath(dataDir), { force: true });
  return undefined;
}

/** Thrown when the server holding the folder does not answer: nothing can be said about the change. */
export class ServerUnreachable extends Error {}

/** Asks the running server to run `argv`. */
export async function delegate(server: ControlFile, argv: string[], timeoutMs = 10_000): Promise<CommandAnswer> {
  let response: Response;
  try {
    const host = server.host.includes(':') ? `[${server.host}]` : server.host;
    response = await fetch(`http://${host}:${server.port}${CONTROL_ROUTE}`, {
      method: 'POST',
      headers: { authorization: `Control ${server.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new ServerUnreachable(
      timedOut
        ? `the server (pid ${server.pid}) holding this data folder did not answer in time; the change may or may not have been made: check with a list command`
        : `the server (pid ${server.pid}) holds this data folder but cannot be reached; nothing was changed. Stop it, or wait for it to start, and try again`,
    );
  }
  const answer = commandAnswer.safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !answer.success) {
    throw new ServerUnreachable(`the server (pid ${server.pid}) refused the command (HTTP ${response.status}); nothing was changed`);
  }
  return answer.data;
}
