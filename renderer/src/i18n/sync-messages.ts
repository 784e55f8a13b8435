// The screens' words for what the main process says about sync (SyncStatus's error, clock warning and mismatch): it
// words them in English for its logs and its API; the screens translate the ones they know and mark any other as the
// app service's own words.
import type { MessageId } from './catalogs';
import type { Translator, Values } from './translator';

type Rule = readonly [pattern: RegExp, id: MessageId, values?: (match: RegExpMatchArray, t: Translator, since: string | null) => Values];

/** " at learners.example.org", or nothing: where the server is, when the message names it. */
const AT = '(?: at (\\S+))?';
const where = (match: RegExpMatchArray) => ({ named: match[1] ? 'yes' : 'no', host: match[1] ?? '' });

const RULES: readonly Rule[] = [
  // The time in the message is the main process's clock in its own locale: the screens write it in theirs.
  [/^Not hearing the server since (.+)\. Reconnecting…$/, 'sync.notHearingSince', (m, t, since) => ({ time: since ? t.clock(since) : m[1]! })],
  [/^Not hearing the server\. Reconnecting…$/, 'sync.notHearing'],
  [new RegExp(`^Can't reach the server${AT}\\. `), 'sync.unreachable', where],
  [new RegExp(`^The server${AT} had a problem \\(it answered (\\d+)\\)\\.`), 'sync.serverProblem', (m) => ({ ...where(m), status: m[2]! })],
  [new RegExp(`^The server${AT} refused a request \\((\\d+)\\): (.*)$`), 'sync.refused', (m, t) => ({ ...where(m), status: m[2]!, reason: t.t('api.unknown', { message: m[3]! }) })],
  [/^Sync stopped on an unexpected problem/, 'sync.unexpected'],
  [/^The server refused this device’s token\./, 'sync.tokenRefused'],
  [/^This device is offline\./, 'sync.deviceOffline'],
  [
    /^The server sent an? (learner|profile|conflict log entry|catalog entry) \((\S+)\) that this app cannot accept: (.*)\. Update the app, or ask your administrator\.$/,
    'sync.cannotAccept',
    (m, t) => ({ what: m[1]!.split(' ')[0]!, id: m[2]!, reason: t.t('api.unknown', { message: m[3]! }) }),
  ],
  [/^The server would delete (\d+) of the (\d+) learners on this device\./, 'sync.heldLearners', (m) => ({ count: Number(m[1]), total: Number(m[2]) })],
  [/^The server would delete (\d+) of the (\d+) learner profiles on this device\./, 'sync.heldProfiles', (m) => ({ count: Number(m[1]), total: Number(m[2]) })],
  [/^Some records on this device differ from the server's \((\d+) groups?\)\./, 'sync.mismatch', (m) => ({ count: Number(m[1]) })],
  [/^This device's clock is (\d+) (days|hours|minutes) (ahead of|behind) the server's\./, 'sync.clock', (m) => ({
    amount: Number(m[1]),
    unit: m[2]!,
    direction: m[3] === 'ahead of' ? 'ahead' : 'behind',
  })],
];

/** What a screen shows for one of the main process's sync texts; `since` is when the device last heard the server. */
export function syncMessage(translator: Translator, message: string, since: string | null = null): string {
  for (const [pattern, id, values] of RULES) {
    const match = message.match(pattern);
    if (match) return translator.t(id, values?.(match, translator, since));
  }
  return translator.t('api.unknown', { message });
}
