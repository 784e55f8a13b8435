// The screens' words for the messages the API answers with. Those messages are the contract's (clients compare them,
// word for word), so they stay English in the data; the screens show a translation of the ones they know, and any
// other under a prefix that says it is the service's own wording. The English catalog words them as the API does.
import type { MessageId } from './catalogs';
import type { Translator, Values } from './translator';

type Rule = readonly [pattern: RegExp, id: MessageId, values?: (match: RegExpMatchArray) => Values];

const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const count = (index: number) => (match: RegExpMatchArray) => ({ count: Number(match[index]) });

const RULES: readonly Rule[] = [
  // The contract's messages (shared/messages.ts).
  [exact('field required'), 'api.fieldRequired'],
  [exact('extra fields not permitted'), 'api.extraField'],
  [/^Learner with uuid (\S+) not found$/, 'api.learnerNotFound', (m) => ({ uuid: m[1]! })],
  [/^Learner with the given email address (.+) already exists$/, 'api.duplicateEmail', (m) => ({ email: m[1]! })],
  [exact('Primary email address and backup email address cannot be the same.'), 'api.sameBackupEmail'],
  [/^Invalid email ID format: (.*)$/, 'api.invalidEmail', (m) => ({ email: m[1]! })],
  [/^Learner Profile cannot be created for the Learner id: (\S+) which is archived$/, 'api.profileArchivedLearner', (m) => ({ id: m[1]! })],
  [/^Learner Profile with the given learner id: (\S+) already exists$/, 'api.profileExists', (m) => ({ id: m[1]! })],
  [/^LearnerProfile with learner id (\S+) not found$/, 'api.profileNotFound', (m) => ({ id: m[1]! })],
  [/^Achievement with uuid (\S+) not found$/, 'api.achievementNotFound', (m) => ({ uuid: m[1]! })],
  [exact('Missing or invalid request parameters'), 'api.missingParameters'],
  [exact('Only an empty dictionary is allowed.'), 'api.onlyEmpty'],
  [exact('Unauthorized'), 'api.unauthorized'],
  [exact('Not allowed for this token'), 'api.notAllowed'],
  [exact('Not Found'), 'api.notFound'],
  [exact('Request body too large'), 'api.tooLarge'],
  [exact('Provided JSON is invalid'), 'api.invalidJson'],
  [exact('Valid JSON file type is supported'), 'api.notJson'],
  [/^File size is too large: (.+)$/, 'api.fileTooLarge', (m) => ({ name: m[1]! })],
  // The shared schemas' own wording.
  [exact('Use an address that starts with https:// (http:// only for this computer: localhost, 127.0.0.1 or ::1)'), 'api.serverUrl'],
  [exact('must not contain invisible formatting characters (bidirectional controls, zero-width characters) or noncharacters'), 'api.hiddenCharacters'],
  [exact('must be lower-case'), 'api.lowerCase'],
  [/^must be a date like (.+)$/, 'api.dateFormat', (m) => ({ example: m[1]! })],
  [exact('text must not contain NUL characters or unpaired surrogates'), 'api.unstorableText'],
  [exact('use at least 6 digits, digits only'), 'api.pinRule'],
  // The desktop's own refusals (electron/).
  [exact('Not available in kiosk mode'), 'api.notInKiosk'],
  [exact('Reports are not available on a kiosk'), 'api.reportsNotInKiosk'],
  [exact('The app is locked. Unlock it with the passphrase or the staff PIN.'), 'api.locked'],
  [exact('Forbidden'), 'api.forbidden'],
  [exact('Wrong passphrase'), 'api.wrongPassphrase'],
  [exact('Wrong PIN'), 'api.wrongPin'],
  [/^Too many wrong PINs: try again in (\d+) seconds$/, 'api.tooManyPins', count(1)],
  [/^Too many tries\. Please wait (\d+) seconds, or ask a staff member for help\.$/, 'api.kioskWait', count(1)],
  [/^We could not find a profile with these details\. Check them and try again, or ask a staff member for a code\. Please wait (\d+) seconds before trying again\.$/, 'api.kioskNoMatchWait', count(1)],
  [exact('We could not find a profile with these details. Check them and try again, or ask a staff member for a code.'), 'api.kioskNoMatch'],
  [exact('The app is opening its data; try again in a moment.'), 'api.opening'],
  [exact('A backup is being restored; try again in a moment.'), 'api.restoring'],
  [exact('Set a staff PIN in Settings first: it unlocks the app when it is locked.'), 'api.needPin'],
  [exact('In kiosk mode, staff end their session with Lock.'), 'api.kioskLock'],
  [exact('No staff PIN is set: unlock with the passphrase.'), 'api.noPin'],
  [exact('This device has no passphrase: unlock it with the staff PIN.'), 'api.noPassphrase'],
  [exact('Enter the passphrase: it opens the data when the app starts.'), 'api.enterPassphrase'],
  [exact('Choose a passphrase first: this device has none yet.'), 'api.choosePassphraseFirst'],
  [exact('The app is not locked'), 'api.notLocked'],
  [exact('This device has its passphrase already.'), 'api.hasPassphrase'],
  [/^Use at least (\d+) characters \(a few words make a good passphrase\)\.$/, 'api.passphraseShort', count(1)],
  [/^Use at most (\d+) characters\.$/, 'api.passphraseLong', count(1)],
  [exact('The two passphrases are not the same'), 'api.passphraseMismatch'],
  [exact('The data is open already'), 'api.dataOpen'],
  [exact('The data is not open'), 'api.dataNotOpen'],
  [/^The database in (.+) is encrypted with another key than the one this device has \((.+)\)\./, 'api.otherKey', (m) => ({ folder: m[1]!, file: m[2]! })],
  [/^The data could not be opened: (.+)\. Nothing was changed\.$/, 'api.dataFailed', (m) => ({ problem: m[1]! })],
  [exact('Restoring a backup is not available here'), 'api.noRestore'],
  [exact('There is no such backup.'), 'api.noSuchBackup'],
  [exact('This backup was sealed with another device’s key, or is damaged: it cannot be restored here. Nothing was changed.'), 'api.backupOtherKeyOrDamaged'],
  [exact('This backup is damaged and cannot be restored. Nothing was changed.'), 'api.backupDamaged'],
  [exact('This backup was made with another device’s key: it cannot be restored here. Nothing was changed.'), 'api.backupOtherKey'],
  [exact('This backup is not one this app wrote with its key. Nothing was changed.'), 'api.backupForeign'],
  [exact('This file is no longer available: make it again'), 'api.downloadGone'],
  [exact('Saving a PDF needs the desktop app: use Print, and choose to save as PDF there'), 'api.pdfNeedsApp'],
  [exact('The app service is not reachable'), 'api.unreachable'],
  [exact('Conflict not found'), 'api.conflictNotFound'],
  [/^The profile of (.+) is not on this device$/, 'api.conflictProfileGone', (m) => ({ name: m[1]! })],
  [/^(.+) is not on this device$/, 'api.conflictLearnerGone', (m) => ({ name: m[1]! })],
  [exact('This device wrote neither value: choose the kept or the lost one'), 'api.conflictNeither'],
  [/^Already resolved by (.+)$/, 'api.conflictResolved', (m) => ({ device: m[1]! })],
  [/^That value can no longer be stored: (.+)$/, 'api.conflictUnstorable', (m) => ({ problem: m[1]! })],
];

/** The screens' words for an API message they know; undefined for any other. */
export function knownApiMessage({ t }: Translator, message: string): string | undefined {
  for (const [pattern, id, values] of RULES) {
    const match = message.match(pattern);
    if (match) return t(id, values?.(match));
  }
  return undefined;
}

/** What a screen shows for an API message: its translation, or the message itself as the service's own words. */
export function apiMessage(translator: Translator, message: string): string {
  return knownApiMessage(translator, message) ?? translator.t('api.unknown', { message });
}
