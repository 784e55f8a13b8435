// The contract's cases against the desktop's local API (SQLite storage), end to end through the browser bridge.
import { bridgeHost } from '../support/bridge-host';
import { contractSuite } from '../contract/cases';

contractSuite('desktop API through the bridge (SQLite)', () => bridgeHost());
