// Reports at a kiosk: the public's screens cannot reach them (the kiosk allow-list leaves them out), and even staff
// get no file out of a shared machine, as they get no import or export there; the figures, which name nobody, they may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeHost } from '../support/bridge-host';

const PIN = '135791';

describe('reports at a kiosk', () => {
  let kiosk: Awaited<ReturnType<typeof bridgeHost>>;
  beforeAll(async () => {
    kiosk = await bridgeHost({ kiosk: { enabled: true, pin: PIN } });
  });
  afterAll(() => kiosk?.close());

  it('answers the public as any closed operation', async () => {
    const closed = { status: 403, body: { success: false, message: 'Not available in kiosk mode', data: null } };
    expect(await kiosk.call('dashboard.figures', {})).toEqual(closed);
    expect(await kiosk.call('report.exportLearners', { format: 'csv', query: {} })).toEqual(closed);
    expect(await kiosk.call('report.profileSheet', 'A'.repeat(20))).toEqual(closed);
  });

  it('makes no file for staff either', async () => {
    expect((await kiosk.call('kiosk.unlock', PIN)).status).toBe(200);
    expect(await kiosk.call('report.exportLearners', { format: 'csv', query: {} })).toMatchObject({ status: 403, body: { message: 'Reports are not available on a kiosk' } });
    expect(await kiosk.call('report.exportDashboard', { format: 'xlsx', query: {} })).toMatchObject({ status: 403 });
    expect(await kiosk.call('report.profilePdf', 'A'.repeat(20))).toMatchObject({ status: 403 });
    expect((await kiosk.call('dashboard.figures', {})).status).toBe(200);
  });
});
