// `npm run server` starts the central server; `npm run server -- token create|list|revoke` manages API tokens.
import { buildApp } from './app';
import { readConfig, type ServerConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrations';
import { renewEpoch } from './sync/epoch';
import { createToken, listTokens, revokeToken, TOKEN_NAME, TOKEN_NAME_RULE, TokenError } from './tokens';

const usage = `usage:
  npm run server                          start the server (PORT, HOST, DATABASE_URL, DATA_DIR, LOG_LEVEL)
  npm run server -- token create NAME     print a new API token (its last line of output)
  npm run server -- token list            list tokens
  npm run server -- token revoke NAME     revoke a token
  npm run server -- epoch renew           after restoring the database from a backup: devices pull from the start
                                          and send what the backup lacks`;

async function openMigrated(config: ServerConfig) {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  await migrate(db);
  return db;
}

async function serve(config: ServerConfig) {
  const db = await openMigrated(config);
  const app = await buildApp({
    db,
    logger: { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`listening on http://${config.HOST}:${port}`);
}

async function token(config: ServerConfig, [command, name]: string[]) {
  if (!(command === 'list' || ((command === 'create' || command === 'revoke') && name))) throw new TokenError(usage);
  if (name !== undefined && !TOKEN_NAME.test(name)) throw new TokenError(TOKEN_NAME_RULE);
  const db = await openMigrated(config);
  try {
    if (command === 'create' && name) {
      const value = await createToken(db, name);
      console.log(`created token ${name}; it is shown only once:`);
      console.log(value);
    } else if (command === 'list') {
      const tokens = await listTokens(db);
      if (tokens.length === 0) console.log('no tokens');
      for (const t of tokens) console.log(`${t.name}\tcreated ${t.created_time}\t${t.revoked_time ? `revoked ${t.revoked_time}` : 'active'}`);
    } else if (command === 'revoke' && name) {
      if (!(await revokeToken(db, name))) throw new TokenError(`no active token named ${name}`);
      console.log(`revoked token ${name}`);
    }
  } finally {
    await db.close();
  }
}

async function renew(config: ServerConfig) {
  const db = await openMigrated(config);
  try {
    const epoch = await renewEpoch(db);
    console.log(`new epoch ${epoch}: devices will pull from the start and send what this database lacks`);
  } finally {
    await db.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  const config = readConfig();
  if (command === undefined) await serve(config);
  else if (command === 'token') await token(config, rest);
  else if (command === 'epoch' && rest.length === 1 && rest[0] === 'renew') await renew(config);
  else throw new TokenError(usage);
} catch (error) {
  console.error(error instanceof TokenError ? error.message : error);
  process.exit(error instanceof TokenError ? 2 : 1);
}
