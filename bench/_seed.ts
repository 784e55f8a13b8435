import seed from '../test/fixtures/seed-examples.json' with { type: 'json' };

export const seedProfileBody = seed.cases[0]!.body as Record<string, unknown>;
