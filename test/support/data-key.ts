// A fixed data key for tests that start the services directly (the runtime gets real ones from a keychain or a
// passphrase).
export const TEST_DATA_KEY = new Uint8Array(Array.from({ length: 32 }, (_, i) => (i * 53 + 7) & 0xff));
