import { localHost } from '../support/local-host';
import { contractSuite } from '../contract/cases';

contractSuite('local RxDB service (memory storage)', () => localHost());
