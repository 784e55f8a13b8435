// The access limits the server benchmarks run with: failed authentications as in production; the per-token rate
// far above what ten connections can send, so the figures measure the server, with the limiter still counting.
import type { AccessLimits } from '../server/access';

export const BENCH_LIMITS: AccessLimits = { authFailuresPerMinute: 20, requestsPerMinutePerToken: 100_000_000 };
