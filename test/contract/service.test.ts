import { backends } from '../support/backends';
import { serviceHost } from '../support/hosts';
import { contractSuite } from './cases';

for (const backend of backends) {
  contractSuite(`service on ${backend.name}`, async () => serviceHost(await backend.open()));
}
