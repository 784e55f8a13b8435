// This server process's hybrid clock: API edits are dated by it (under the editing token's name), and it observes
// the times of every document devices push, so an edit made here after a device's is dated after it.
import { HybridClock } from '../shared/hlc';

export const serverClock = new HybridClock('server');
