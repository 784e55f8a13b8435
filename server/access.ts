// Who is calling, and how much they may (../spec/trust.md "Abuse and exposure"): a bearer token checked against
// the live tokens in memory (a bad one costs no query); an address that keeps sending bad tokens gets 429 for a
// while (a real device never sends a burst of them); a valid token is held to a generous rate a real device never
// meets. Refusals are the contract's envelope.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { messages } from '../shared/messages';
import { fail, type Result } from '../shared/result';
import type { Identity, TokenVerifier } from './tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the token says the caller is (set by the auth hook on every authenticated route). */
    identity: Identity;
  }
}

export interface AccessLimits {
  /** Failed authentications an address may make per minute before it is refused outright. */
  authFailuresPerMinute: number;
  /** Requests a valid token may make per minute. */
  requestsPerMinutePerToken: number;
}

export const DEFAULT_LIMITS: AccessLimits = { authFailuresPerMinute: 20, requestsPerMinutePerToken: 6_000 };

const send = (reply: FastifyReply, result: Result) => reply.code(result.status).send(result.body);
const WINDOW_MS = 60_000;

/** Routes that need no token: the health check, and the local control channel (its own secret). */
const open = (request: FastifyRequest) => request.url === '/health' || request.url.startsWith('/control/');

export async function registerAccess(app: FastifyInstance, tokens: TokenVerifier, limits: AccessLimits = DEFAULT_LIMITS): Promise<void> {
  const failures = new Map<string, { count: number; until: number }>();
  let unlogged = 0;
  let lastWarning = 0;
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [address, entry] of failures) if (entry.until <= now) failures.delete(address);
  }, WINDOW_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.decorateRequest('identity', null as unknown as Identity);
  app.addHook('onRequest', async (request, reply) => {
    if (open(request)) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    // From memory: a valid token passes whatever its address's neighbours sent (devices may share an address).
    const identity = token ? tokens.verify(token) : undefined;
    if (identity) {
      request.identity = identity;
      return;
    }
    const now = Date.now();
    const entry = failures.get(request.ip);
    if (!entry || entry.until <= now) failures.set(request.ip, { count: 1, until: now + WINDOW_MS });
    else entry.count++;
    const count = entry && entry.until > now ? entry.count : 1;
    if (count > limits.authFailuresPerMinute) {
      reply.header('retry-after', String(Math.ceil((entry!.until - now) / 1000)));
      return send(reply, fail(429, 'Too many failed sign-ins from this address: wait a minute'));
    }
    // One line a minute at most, however many bad tokens arrive.
    unlogged++;
    if (now - lastWarning > WINDOW_MS) {
      request.log.warn({ refused: unlogged }, 'requests without a valid token refused');
      unlogged = 0;
      lastWarning = now;
    }
    return send(reply, fail(401, messages.unauthorized));
  });

  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: limits.requestsPerMinutePerToken,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => (request.identity ? `token:${request.identity.name}` : `address:${request.ip}`),
    allowList: (request) => open(request),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      success: false,
      message: `Too many requests for this token: wait ${Math.ceil(context.ttl / 1000)} seconds`,
      data: null,
    }),
  });
}
