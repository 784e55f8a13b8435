// Desktop builds from before positions named the writing transaction accept a checkpoint of exactly
// `{ seq, epoch, generation }` (an epoch of at most 40 characters), and send back what they got: `checkpoint=<seq>`,
// `epoch`, `generation`, never `xid`. A laptop that has not been updated yet must go on syncing, so a pull without
// `xid` is answered in that shape, its transaction id carried inside the epoch, which such a build returns
// verbatim. It then pages exactly as a current build does. An updated build that kept such a checkpoint sends it back
// with `xid=0`: the epoch still says where it was.
import type { ChangeBatch, SyncCheckpoint } from '../../shared/sync-protocol';

const MARK = '~';
const HEX_EPOCH = /^[0-9a-f]{32}$/;
const BASE36 = /^[0-9a-z]{1,25}$/;

/** A pull from a build that does not know `xid`. */
export const isLegacyPull = (query: unknown) => (query as Record<string, unknown> | undefined)?.xid === undefined;

const fromBase36 = (text: string) => [...text].reduce((value, digit) => value * 36n + BigInt(parseInt(digit, 36)), 0n);

/** The epoch a legacy checkpoint carries: the server's (32 hex digits, written in base 36 to fit) and the xid. */
export function legacyEpoch(epoch: string, xid: number): string {
  const compact = HEX_EPOCH.test(epoch) ? BigInt(`0x${epoch}`).toString(36) : epoch;
  return `${compact}${MARK}${xid.toString(36)}`;
}

/**
 * The history and transaction a checkpoint's epoch names. An epoch without the mark is a plain one (a current
 * build's, or a legacy checkpoint from before this server gave positions by transaction: xid 0, as it meant then).
 * A marked epoch that does not decode is returned as it is, so that it names no history and the pull starts over.
 */
export function readEpoch(epoch: string | undefined): { epoch?: string; xid?: number } {
  const at = epoch?.lastIndexOf(MARK) ?? -1;
  if (epoch === undefined || at < 0) return { epoch };
  const [compact, xid] = [epoch.slice(0, at), epoch.slice(at + 1)];
  if (!BASE36.test(compact) || !/^[0-9a-z]{1,11}$/.test(xid)) return { epoch };
  return { epoch: fromBase36(compact).toString(16).padStart(32, '0'), xid: parseInt(xid, 36) };
}

/** A batch in the shape legacy builds accept. */
export function legacyBatch(batch: ChangeBatch): ChangeBatch {
  const { seq, xid = 0, epoch, generation } = batch.checkpoint;
  const checkpoint: SyncCheckpoint = { seq, ...(epoch === undefined ? {} : { epoch: legacyEpoch(epoch, xid) }), ...(generation === undefined ? {} : { generation }) };
  return { ...batch, checkpoint };
}
