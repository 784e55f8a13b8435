// The screens word the messages of the API and of sync themselves (they stay English in the data: the contract's).
// Messages made by the code that sends them are recognised, shown as they are in English, and translated in every
// other language; a message nobody taught the screens is shown as it is, marked as the service's own words.
import { describe, expect, it } from 'vitest';
import { SERVER_URL_MESSAGE } from '../../shared/desktop';
import { messages } from '../../shared/messages';
import { HIDDEN_CHARACTERS_MESSAGE } from '../../shared/schemas/names';
import { passphraseProblem } from '../../electron/keys/data-keys';
import { NOT_IN_KIOSK } from '../../electron/kiosk/kiosk-gate';
import { NO_MATCH } from '../../electron/kiosk/kiosk-handlers';
import { LOCKED_MESSAGE } from '../../electron/lock/app-lock';
import { PDF_NOT_AVAILABLE } from '../../electron/reports/report-handlers';
import { plainError } from '../../electron/sync/engine';
import { ServerError, UnreachableError } from '../../electron/sync/http';
import { HeldDeletes } from '../../electron/sync/replication';
import { apiMessage, knownApiMessage } from '../../renderer/src/i18n/api-messages';
import { syncMessage } from '../../renderer/src/i18n/sync-messages';
import { translatorFor } from '../../renderer/src/i18n/translator';

const UUID = 'AbCdEfGhIjKlMnOpQrSt';
const english = translatorFor('en');
const spanish = translatorFor('es');

const API_MESSAGES = [
  messages.learner.notFound(UUID),
  messages.learner.duplicateEmail('ada@example.org'),
  messages.learner.sameBackupEmail,
  messages.learner.invalidEmail('ada@'),
  messages.profile.archivedLearner(UUID),
  messages.profile.exists(UUID),
  messages.profile.notFoundForLearner(UUID),
  messages.achievement.notFound(UUID),
  messages.missingParameters,
  messages.fieldRequired,
  messages.extraField,
  messages.onlyEmptyObject,
  messages.unauthorized,
  messages.notAllowed,
  messages.notFound,
  messages.bodyTooLarge,
  messages.invalidJsonFile,
  messages.notJsonFile,
  messages.fileTooLarge('learners.json'),
  SERVER_URL_MESSAGE,
  HIDDEN_CHARACTERS_MESSAGE,
  NOT_IN_KIOSK,
  LOCKED_MESSAGE,
  NO_MATCH,
  `${NO_MATCH} Please wait 30 seconds before trying again.`,
  passphraseProblem('short')!,
  PDF_NOT_AVAILABLE,
  'Wrong PIN',
  'Too many wrong PINs: try again in 60 seconds',
  'Too many tries. Please wait 30 seconds, or ask a staff member for help.',
  'The app is opening its data; try again in a moment.',
  'Set a staff PIN in Settings first: it unlocks the app when it is locked.',
  'The database in /home/ada/.data is encrypted with another key than the one this device has (/home/ada/.data/data-key.json). Nothing was changed. If the key file was replaced or lost, put the right one back and start the app again.',
  'This backup was made with another device’s key: it cannot be restored here. Nothing was changed.',
  'Already resolved by Laptop 7',
];

const SYNC_MESSAGES = [
  plainError(new UnreachableError('fetch failed'), 'https://learners.example.org'),
  plainError(new UnreachableError('fetch failed')),
  plainError(new ServerError(502, 'the server answered 502: Bad Gateway'), 'https://learners.example.org'),
  plainError(new ServerError(409, 'the server answered 409: Conflict'), 'https://learners.example.org'),
  plainError(new Error('something else')),
  new HeldDeletes(40, 50, 'learners').message,
  new HeldDeletes(40, 50, 'learner_profiles').message,
  'The server refused this device’s token. Sync is stopped; your data stays on this device. Enter a new token in Settings.',
  'This device is offline. Your changes are kept here and sent when it is back online.',
  'Not hearing the server. Reconnecting…',
  "The server sent a conflict log entry (AbCdEfGhIjKlMnOpQrSt) that this app cannot accept: bad field. Update the app, or ask your administrator.",
  "Some records on this device differ from the server's (3 groups). Sync keeps repairing them.",
  "This device's clock is 3 hours ahead of the server's. Changes are dated by the server's time meanwhile; set the correct date and time in the system settings.",
];

describe('the main process’s messages on screen', () => {
  it('are the API’s own words in English (a refusal with advice after them), and translated in Spanish', () => {
    for (const message of API_MESSAGES) {
      expect(knownApiMessage(english, message)?.startsWith(message), message).toBe(true);
      const translated = knownApiMessage(spanish, message);
      expect(translated, message).toBeDefined();
      expect(translated, message).not.toBe(message);
    }
  });

  it('keep what varies in them: the email, the file, the seconds', () => {
    expect(knownApiMessage(spanish, messages.learner.duplicateEmail('ada@example.org'))).toContain('ada@example.org');
    expect(knownApiMessage(spanish, messages.fileTooLarge('learners.json'))).toContain('learners.json');
    expect(knownApiMessage(spanish, 'Too many wrong PINs: try again in 60 seconds')).toContain('60 segundos');
  });

  it('say which sync problem it is, in the words of the language on screen', () => {
    for (const message of SYNC_MESSAGES) {
      expect(syncMessage(english, message), message).toBe(message);
      const translated = syncMessage(spanish, message);
      expect(translated, message).not.toBe(message);
      expect(translated.startsWith(spanish.t('api.unknown', { message: '' })), message).toBe(false);
    }
  });

  it('write the time the server was last heard in the language on screen', () => {
    const since = '2031-06-15T14:05:00.000Z';
    expect(syncMessage(spanish, 'Not hearing the server since 2:05 PM. Reconnecting…', since)).toBe(
      spanish.t('sync.notHearingSince', { time: spanish.clock(since) }),
    );
  });

  it('show a message they do not know as it is, marked as the service’s in any other language', () => {
    expect(apiMessage(english, 'Something new went wrong')).toBe('Something new went wrong');
    expect(apiMessage(spanish, 'Something new went wrong')).toBe(spanish.t('api.unknown', { message: 'Something new went wrong' }));
    expect(apiMessage(spanish, 'Something new went wrong')).toContain('Something new went wrong');
  });
});
