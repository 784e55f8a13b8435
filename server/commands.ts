// The command line's management commands (centers, tokens, audit, epoch), parsed strictly and run against a
// database. The same code runs in the CLI's own process or, where a running server holds an embedded database,
// inside that server at the CLI's request (./control.ts).
import { parseArgs } from 'node:util';
import { ID_PATTERN } from '../shared/ids';
import { createCenter, listCenters, readAudit } from './centers';
import type { Database } from './db/database';
import { renewEpoch } from './sync/epoch';
import { createToken, listTokens, revokeToken, TOKEN_NAME, TOKEN_NAME_RULE, TokenError } from './tokens';

export const usage = `usage:
  npm run server                                    start the server (PORT, HOST, DATABASE_URL, DATA_DIR, LOG_LEVEL)
  npm run server -- center create NAME              add a center; prints its id on the last line
  npm run server -- center list                     list centers: id, name, learners
  npm run server -- token create NAME [--center ID]... [--admin]
                                                    print a new device token (its last line of output); with several
                                                    centers, name the token's centers, or make it an administrator's
  npm run server -- token list                      list tokens
  npm run server -- token revoke NAME               revoke a token (running servers stop accepting it at once)
  npm run server -- audit [--learner ID]            who changed what: one learner's records, or the latest entries
  npm run server -- epoch renew                     after restoring the database from a backup: devices pull from the
                                                    start and send what the backup lacks`;

/** A command line that is not one of the above: the usage is the answer. */
export class UsageError extends Error {}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export type Command = { kind: 'serve' } | { kind: 'manage'; argv: string[]; run: (db: Database, output: Output) => Promise<void> };

const options = {
  center: { type: 'string', multiple: true },
  admin: { type: 'boolean' },
  learner: { type: 'string' },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Unknown options, missing or ambiguous values (`--center --admin`): Node's message, then the usage.
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
}

const tokenName = (name: string) => {
  if (!TOKEN_NAME.test(name)) throw new TokenError(TOKEN_NAME_RULE);
  return name;
};

/** What `argv` asks for; throws UsageError for anything not in the usage, before any database is opened. */
export function parseCommand(argv: string[]): Command {
  if (argv.length === 0) return { kind: 'serve' };
  const { values, positionals } = parse(argv);
  const given = Object.keys(values);
  const only = (...allowed: string[]) => {
    const extra = given.filter((name) => !allowed.includes(name));
    if (extra.length > 0) throw new UsageError(`--${extra[0]} does not apply to ${positionals.slice(0, 2).join(' ')}\n${usage}`);
  };
  const manage = (run: (db: Database, output: Output) => Promise<void>): Command => ({ kind: 'manage', argv, run });
  const shape = positionals.join(' ');
  const [group, action, name, ...more] = positionals;
  if (more.length > 0) throw new UsageError(`unexpected ${more.join(' ')}\n${usage}`);

  if (group === 'center' && action === 'create' && name !== undefined) {
    only();
    return manage(async (db, output) => {
      const id = await createCenter(db, name);
      output.out(`created center ${name}; its id:`);
      output.out(id);
    });
  }
  if (shape === 'center list') {
    only();
    return manage(async (db, output) => {
      for (const c of await listCenters(db)) output.out(`${c.id}\t${c.name}\t${c.learners} learners`);
    });
  }
  if (group === 'token' && action === 'create' && name !== undefined) {
    only('center', 'admin');
    tokenName(name);
    const centers = values.center ?? [];
    if (values.admin && centers.length > 0) throw new UsageError(`an administrator's token sees every center: --admin takes no --center\n${usage}`);
    const bad = centers.find((id) => !ID_PATTERN.test(id));
    if (bad !== undefined) throw new UsageError(`--center takes a center's id (see center list), not ${JSON.stringify(bad)}\n${usage}`);
    return manage(async (db, output) => {
      const value = await createToken(db, name, { centers, admin: values.admin ?? false });
      output.out(`created ${values.admin ? 'administrator ' : ''}token ${name}; it is shown only once:`);
      output.out(value);
    });
  }
  if (shape === 'token list') {
    only();
    return manage(async (db, output) => {
      const tokens = await listTokens(db);
      if (tokens.length === 0) output.out('no tokens');
      for (const t of tokens) {
        const scope = t.is_admin ? 'administrator' : `centers: ${t.centers.join(', ')}`;
        output.out(`${t.name}\tcreated ${t.created_time}\t${t.revoked_time ? `revoked ${t.revoked_time}` : 'active'}\t${scope}`);
      }
    });
  }
  if (group === 'token' && action === 'revoke' && name !== undefined) {
    only();
    tokenName(name);
    return manage(async (db, output) => {
      if (!(await revokeToken(db, name))) throw new TokenError(`no active token named ${name}`);
      output.out(`revoked token ${name}`);
    });
  }
  if (shape === 'audit') {
    only('learner');
    const learner = values.learner;
    if (learner !== undefined && !ID_PATTERN.test(learner)) throw new UsageError(`--learner takes a learner's id, not ${JSON.stringify(learner)}\n${usage}`);
    return manage(async (db, output) => {
      const entries = await readAudit(db, learner);
      if (entries.length === 0) output.out('no entries');
      for (const e of entries) output.out(`${e.time}\t${e.token}\t${e.operation}\t${e.collection}\t${e.record_id}`);
    });
  }
  if (shape === 'epoch renew') {
    only();
    return manage(async (db, output) => {
      const epoch = await renewEpoch(db);
      output.out(`new epoch ${epoch}: devices will pull from the start and send what this database lacks`);
    });
  }
  throw new UsageError(usage);
}
