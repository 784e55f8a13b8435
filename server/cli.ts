// `npm run server` starts the central server; `npm run server -- center|token|audit|epoch ...` manages it
// (./commands.ts). On the embedded database, a management command while a server holds the data folder is run by
// that server (./control.ts).
import { buildApp } from './app';
import { parseCommand, UsageError, type Command } from './commands';
import { readConfig, type ServerConfig } from './config';
import { delegate, newControlSecret, registerControl, runningServer, ServerUnreachable, writeControlFile } from './control';
import { openDatabase } from './db/database';
import { migrate } from './db/migrations';
import { TokenError } from './tokens';

// Nothing the server writes (the embedded database's files, the control file) is for other users.
process.umask(0o077);

async function openMigrated(config: ServerConfig) {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  await migrate(db);
  return db;
}

const embedded = (config: ServerConfig) => config.DATABASE_URL === undefined;

async function serve(config: ServerConfig) {
  const holder = embedded(config) ? runningServer(config.DATA_DIR) : undefined;
  if (holder) throw new TokenError(`another server (pid ${holder.pid}) is running on ${config.DATA_DIR}; stop it first`);
  const db = await openMigrated(config);
  const app = await buildApp({
    db,
    logger: { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  const secret = newControlSecret();
  if (embedded(config)) registerControl(app, db, secret);

  let forgetControl = () => {};
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    forgetControl();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  if (embedded(config)) forgetControl = writeControlFile(config.DATA_DIR, { host: config.HOST, port }, secret);
  console.log(`listening on http://${config.HOST}:${port}`);
}

async function manage(config: ServerConfig, command: Extract<Command, { kind: 'manage' }>) {
  const holder = embedded(config) ? runningServer(config.DATA_DIR) : undefined;
  if (holder) {
    const answer = await delegate(holder, command.argv);
    for (const line of answer.stdout) console.log(line);
    for (const line of answer.stderr) console.error(line);
    process.exitCode = answer.code;
    return;
  }
  const db = await openMigrated(config);
  try {
    await command.run(db, { out: (line) => console.log(line), err: (line) => console.error(line) });
  } finally {
    await db.close();
  }
}

try {
  const command = parseCommand(process.argv.slice(2));
  const config = readConfig();
  if (command.kind === 'serve') await serve(config);
  else await manage(config, command);
} catch (error) {
  const plain = error instanceof UsageError || error instanceof TokenError;
  console.error(plain || error instanceof ServerUnreachable ? (error as Error).message : error);
  process.exit(plain ? 2 : 1);
}
