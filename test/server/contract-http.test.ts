import { backends } from '../support/backends';
import { httpHost } from '../support/hosts';
import { contractSuite } from '../contract/cases';

for (const backend of backends) {
  contractSuite(`REST on ${backend.name}`, async () => httpHost(await backend.open()));
}
