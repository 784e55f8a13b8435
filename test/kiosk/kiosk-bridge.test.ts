// Kiosk mode through the browser preview's bridge: the allow-list for every operation id, and a member of the
// public's own flows (register then fill in the profile; prove who you are; a counselor's one-time code).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../shared/operations';
import { bridgeHost } from '../support/bridge-host';
import { expectKioskRefusesEveryoneElse, seedOtherLearner, type OtherLearner } from '../support/kiosk-table';
import { uniqueEmail } from '../contract/cases';

const KIOSK = { enabled: true, pin: '246813', idleSeconds: 120 };

describe('kiosk mode over the bridge: every operation', { timeout: 120_000 }, () => {
  let host: Awaited<ReturnType<typeof bridgeHost>>;
  let other: OtherLearner;
  beforeAll(async () => {
    host = await bridgeHost({ kiosk: KIOSK });
    other = await seedOtherLearner(host.services.local.repo, 'bridge');
  });
  afterAll(() => host?.close());

  it('refuses what is not on the allow-list and never shows another learner', async () => {
    const { db } = host.services.local;
    const snapshot = async () => [
      (await db.learners.findOne(other.learnerId).exec())?.toJSON(),
      (await db.learner_profiles.findOne(other.profileUuid).exec())?.toJSON(),
    ];
    await expectKioskRefusesEveryoneElse((id, ...args) => host.call(id as never, ...args), other, snapshot);
  });
});

describe('kiosk mode over the bridge: a learner at the kiosk', { timeout: 60_000 }, () => {
  let host: Awaited<ReturnType<typeof bridgeHost>>;
  let other: OtherLearner;
  beforeAll(async () => {
    host = await bridgeHost({ kiosk: KIOSK });
    other = await seedOtherLearner(host.services.local.repo, 'flow');
  });
  afterAll(() => host?.close());
  const call = (id: string, ...args: unknown[]) => host.call(id as never, ...args);

  it('registers, then fills in their own profile in the same session, and Done forgets them', async () => {
    const created = await call('learner.create', { first_name: 'Kim', last_name: 'Self', email_address: uniqueEmail(), birth_date: '2008-02-03' });
    expect(created.status).toBe(200);
    const me = (created.body.data as { uuid: string }).uuid;
    expect((await call('app.session')).body.data).toMatchObject({ kiosk: true, staff: false, learnerId: me });
    expect((await call('learnerProfile.create', me, { learning_goals: ['Get a job'] })).status).toBe(200);
    expect((await call('learnerProfile.getByLearner', me)).body.data).toMatchObject({ learning_goals: ['Get a job'] });
    expect((await call('learner.update', me, { city: 'Lyon' })).status).toBe(200);
    // Not themselves archived, nor a second registration in one session, nor anyone else.
    expect((await call('learner.update', me, { is_archived: true })).status).toBe(403);
    expect((await call('learner.create', { first_name: 'Two', last_name: 'Ofus', email_address: uniqueEmail() })).status).toBe(403);
    expect((await call('learner.get', other.learnerId)).status).toBe(403);
    await call('kiosk.done');
    expect((await call('app.session')).body.data).toMatchObject({ learnerId: null });
    expect((await call('learner.get', me)).status).toBe(403);
  });

  it('lets a learner back in with email and birth date, both exact, and answers the same for any miss', async () => {
    const email = uniqueEmail();
    const created = await invoke(host.services.local.repo, 'learner.create', [{ first_name: 'Lou', last_name: 'Back', email_address: email, birth_date: '2007-11-30' }]);
    const learnerId = (created.body.data as { uuid: string }).uuid;
    const wrongDate = await call('kiosk.identify', { email_address: email, birth_date: '2007-11-29' });
    const unknown = await call('kiosk.identify', { email_address: `nobody.${email}`, birth_date: '2007-11-30' });
    expect(wrongDate.status).toBe(404);
    expect(unknown).toEqual(wrongDate);
    const right = await call('kiosk.identify', { email_address: email.toUpperCase(), birth_date: '2007-11-30' });
    expect(right.status).toBe(200);
    expect(right.body.data).toMatchObject({ learnerId });
    expect((await call('learner.get', learnerId)).body.data).toMatchObject({ email_address: email });
    expect((await call('learner.get', other.learnerId)).status).toBe(403);
    await call('kiosk.done');
  });

  it('backs off after repeated misses, and the wait survives a restart', async () => {
    const dataDir = host.dataDir;
    let answer = await call('kiosk.identify', { email_address: 'no.one@example.org', birth_date: '2000-01-01' });
    for (let i = 0; i < 6 && answer.status !== 429; i++) answer = await call('kiosk.identify', { email_address: 'no.one@example.org', birth_date: '2000-01-01' });
    expect(answer.status).toBe(429);
    expect(answer.body.message).toMatch(/wait \d+ seconds/);
    await host.app.close();
    await host.services.close();
    const again = await bridgeHost({ kiosk: { ...KIOSK, pin: undefined }, dataDir });
    try {
      const after = await again.call('kiosk.identify' as never, { email_address: other.email, birth_date: other.birthDate });
      expect(after.status).toBe(429);
    } finally {
      await again.close();
    }
    host = await bridgeHost({ kiosk: KIOSK });
  });
});

describe('one-time kiosk codes', { timeout: 60_000 }, () => {
  it('are made on a counselor device, open that learner once at the kiosk, and never again', async () => {
    const laptop = await bridgeHost();
    const email = uniqueEmail();
    const created = await laptop.call('learner.create', { first_name: 'Cody', last_name: 'Code', email_address: email });
    const learnerId = (created.body.data as { uuid: string }).uuid;
    const issued = await laptop.call('learner.accessCode' as never, learnerId);
    expect(issued.status).toBe(200);
    const { code } = issued.body.data as { code: string };
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // The code is stored as a hash only, and no API answer shows it.
    expect(JSON.stringify((await laptop.services.local.db.learners.findOne(learnerId).exec())!.toJSON())).not.toContain(code);
    expect(JSON.stringify((await laptop.call('learner.get', learnerId)).body)).not.toContain('access_code');
    const dataDir = laptop.dataDir;
    await laptop.app.close();
    await laptop.services.close();

    const kiosk = await bridgeHost({ kiosk: KIOSK, dataDir });
    try {
      const opened = await kiosk.call('kiosk.identify' as never, { code: code.toLowerCase().replace('-', ' ') });
      expect(opened.status).toBe(200);
      expect(opened.body.data).toMatchObject({ learnerId });
      await kiosk.call('kiosk.done' as never);
      expect((await kiosk.call('kiosk.identify' as never, { code })).status).toBe(404);
    } finally {
      await kiosk.close();
    }
  });
});

describe('kiosk mode over the bridge: a device of several centers', { timeout: 60_000 }, () => {
  const identity = { name: 'kiosk-hall', admin: false, centers: [{ id: 'centerNorth000000001', name: 'North' }, { id: 'centerSouth000000002', name: 'South' }] };
  const register = (host: Awaited<ReturnType<typeof bridgeHost>>, body: Record<string, unknown>) =>
    host.call('learner.create' as never, { first_name: 'Ines', last_name: 'Hall', email_address: uniqueEmail(), ...body });

  it("registers a member of the public at the kiosk's own center, whatever the request names", async () => {
    const host = await bridgeHost({ kiosk: { ...KIOSK, center: 'centerSouth000000002' } });
    try {
      await host.services.settings.setIdentity(identity);
      const created = await register(host, { center_id: 'centerNorth000000001' });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(created.body.data).toMatchObject({ center_id: 'centerSouth000000002' });
    } finally {
      await host.close();
    }
  });

  it('without a kiosk center, lets no member of the public choose one, and the registration asks for it', async () => {
    const host = await bridgeHost({ kiosk: KIOSK });
    try {
      await host.services.settings.setIdentity(identity);
      const created = await register(host, { center_id: 'centerNorth000000001' });
      expect(created.status).toBe(422);
      expect(JSON.stringify(created.body)).toContain('center_id');
      expect(await host.services.local.db.learners.count().exec()).toBe(0);
    } finally {
      await host.close();
    }
  });
});
