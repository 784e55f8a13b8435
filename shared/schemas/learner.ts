// The learner document: every field of the reference service's learner (its names, limits and defaults), in one
// table per kind of field, from which the stored, create and update schemas and the defaults are all derived.
import { z } from 'zod';
import { id, inputEmail, modifiedBy, inputEmailOrBlank, storedEmail, storedEmailOrBlank, time, withDefault } from './common';
import { inputName, inputOptionalName, storedName, storedOptionalName } from './names';
import { nullishShape, withoutNullish } from './shape';
import { syncAttribute } from './sync';

export const preferredNameTypes = [
  'Alias',
  'NickName',
  'PreferredName',
  'PreviousLegalName',
  'PreferredFamilyName',
  'PreferredGivenName',
  'FullName',
] as const;
export const emailAddressTypes = ['Home', 'Work', 'Organizational', 'Other'] as const;
export const genders = ['Male', 'Female', 'NotSelected'] as const;
export const phoneNumberTypes = ['Home', 'Work', 'Mobile', 'Fax', 'Other'] as const;
export const yesNo = ['Yes', 'No'] as const;
export const doNotPublishIndicators = ['Yes', 'No', 'Unknown'] as const;
export const phoneListedStatuses = ['Listed', 'Unlisted', 'Unknown'] as const;

const NAME_MAX = 60;
const PREFERRED_NAME_MAX = 100;

const text = (max: number) => z.string().max(max);
const lettersAndDigits = (max: number) =>
  z.string().max(max).regex(/^[A-Za-z0-9]*$/, 'must contain only letters and digits');

interface Spec<S extends z.ZodType = z.ZodType> {
  schema: S;
  fallback: z.output<S>;
}
const spec = <S extends z.ZodType>(schema: S, fallback: z.output<S>): Spec<S> => ({ schema, fallback });
type Specs = Record<string, Spec>;

const optionalOf = <T extends Specs>(specs: T) =>
  Object.fromEntries(Object.entries(specs).map(([key, s]) => [key, s.schema.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]['schema']>;
  };
const defaultedOf = <T extends Specs>(specs: T) =>
  Object.fromEntries(Object.entries(specs).map(([key, s]) => [key, withDefault(s.schema, s.fallback)])) as {
    [K in keyof T]: z.ZodPipe<z.ZodOptional<z.ZodNullable<T[K]['schema']>>, z.ZodTransform<z.output<T[K]['schema']>>>;
  };
const schemasOf = <T extends Specs>(specs: T) =>
  Object.fromEntries(Object.entries(specs).map(([key, s]) => [key, s.schema])) as { [K in keyof T]: T[K]['schema'] };
const fallbacksOf = <T extends Specs>(specs: T) =>
  Object.fromEntries(Object.entries(specs).map(([key, s]) => [key, structuredClone(s.fallback)])) as {
    [K in keyof T]: z.output<T[K]['schema']>;
  };

/** One phone entry: every key optional, each with the reference's default. */
const phoneEntrySpecs = {
  phone_number_type: spec(z.enum(phoneNumberTypes), 'Work'),
  primary_phone_number_indicator: spec(z.enum(yesNo), 'Yes'),
  phone_number: spec(text(24), ''),
  phone_do_not_publish_indicator: spec(z.enum(doNotPublishIndicators), 'Yes'),
  phone_number_listed_status: spec(z.enum(phoneListedStatuses), 'Listed'),
};
const storedPhoneEntry = z.strictObject(optionalOf(phoneEntrySpecs));
export type PhoneEntry = z.infer<typeof storedPhoneEntry>;
/** A sent entry gets the missing keys' defaults; an entry left out is `{}` (the reference answers both so). */
const inputPhoneEntry = z.object(defaultedOf(phoneEntrySpecs));
const absentAsEmpty = <S extends z.ZodType>(schema: S) =>
  schema.nullish().transform((value) => (value ?? {}) as z.output<S> | Record<string, never>);

const storedPhone = z.strictObject({ mobile: storedPhoneEntry.optional(), telephone: storedPhoneEntry.optional() });
const inputPhone = z.object({ mobile: absentAsEmpty(inputPhoneEntry), telephone: absentAsEmpty(inputPhoneEntry) });

/** The optional learner fields, on the side of a client (input) or of the stores, with their defaults. */
function optionalSpecs(side: 'input' | 'stored') {
  const input = side === 'input';
  const name = input ? inputOptionalName : storedOptionalName;
  const email = input ? inputEmailOrBlank : storedEmailOrBlank;
  const phone = (input ? inputPhone : storedPhone) as z.ZodType<z.infer<typeof storedPhone>>;
  return {
    middle_name: spec(name(NAME_MAX), ''),
    suffix: spec(lettersAndDigits(10), ''),
    prefix: spec(lettersAndDigits(30), ''),
    preferred_name: spec(name(PREFERRED_NAME_MAX), ''),
    preferred_first_name: spec(name(PREFERRED_NAME_MAX), ''),
    preferred_middle_name: spec(name(PREFERRED_NAME_MAX), ''),
    preferred_last_name: spec(name(PREFERRED_NAME_MAX), ''),
    preferred_name_type: spec(z.enum(preferredNameTypes), 'PreferredName'),
    preferred_pronoun: spec(z.string(), ''),
    student_identifier: spec(text(40), ''),
    student_identification_system: spec(text(15), ''),
    personal_information_verification: spec(z.string(), ''),
    personal_information_type: spec(z.string(), ''),
    address_type: spec(text(30), ''),
    street_number_and_name: spec(text(100), ''),
    apartment_room_or_suite_number: spec(text(100), ''),
    city: spec(text(100), ''),
    state_abbreviation: spec(text(2), ''),
    postal_code: spec(text(17), ''),
    country_name: spec(text(30), ''),
    country_code: spec(text(2), ''),
    latitude: spec(text(20), ''),
    longitude: spec(text(20), ''),
    country_ansi_code: spec(z.int().min(10000).max(99999), 10000),
    address_do_not_publish_indicator: spec(z.enum(doNotPublishIndicators), 'Yes'),
    phone_number: spec(phone, { mobile: {}, telephone: {} }),
    email_address_type: spec(z.enum(emailAddressTypes), 'Work'),
    email_do_not_publish_indicator: spec(z.enum(doNotPublishIndicators), 'Yes'),
    backup_email_address: spec(email, ''),
    // The reference has no default for these three: a learner created without them has them as null.
    birth_date: spec(z.union([z.literal(''), z.iso.date()]).nullable(), null),
    gender: spec(z.enum(genders), 'NotSelected'),
    country_of_birth_code: spec(z.string().nullable(), null),
    ethnicity: spec(text(100).nullable(), null),
    // The reference's default for these two is a placeholder address ("test@mail.com"); ours is none.
    organisation_email_id: spec(email, ''),
    employer_id: spec(z.string(), ''),
    affiliation: spec(z.string(), ''),
    employer: spec(z.string(), ''),
    employer_email: spec(email, ''),
  };
}

const storedSpecs = optionalSpecs('stored');
const inputSpecs = optionalSpecs('input');

/** A learner as stored and replicated. `is_deleted` is internal and never leaves an API. */
export const storedLearner = z.strictObject({
  uuid: id,
  first_name: storedName(NAME_MAX),
  last_name: storedName(NAME_MAX),
  email_address: storedEmail,
  // Optional when stored, so documents written before a field existed still load; reads complete them.
  ...optionalOf(storedSpecs),
  is_archived: z.boolean(),
  is_deleted: z.boolean(),
  /** The learner's center (../../spec/trust.md); absent until a device that made it offline meets the server. */
  center_id: id.optional(),
  /** The name of the token that wrote this version, set by the server. */
  modified_by: modifiedBy,
  sync: syncAttribute,
  /** A one-time kiosk code a counselor made (its hash only; null once used); internal, like is_deleted. */
  access_code: z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), expires_time: time }).nullable().optional(),
  created_time: time,
  last_modified_time: time,
});
export type StoredLearner = z.infer<typeof storedLearner>;
export type Learner = Omit<StoredLearner, 'is_deleted' | 'access_code' | 'sync'>;
export type LearnerOptionalFields = ReturnType<typeof fallbacksOf<typeof storedSpecs>>;

/** The optional fields' values for a learner created without them. */
export const learnerDefaults = (): LearnerOptionalFields => fallbacksOf(storedSpecs);

const phoneEntryDefaults = fallbacksOf(phoneEntrySpecs);
const completeEntry = (entry: PhoneEntry | undefined) =>
  entry && Object.keys(entry).length > 0 ? { ...phoneEntryDefaults, ...entry } : {};

/**
 * A stored learner with every field: the defaults of the fields it lacks (written before they existed, or pushed by
 * an older app), and phone entries completed as the reference completes them.
 */
export function completeLearner<T extends Partial<StoredLearner>>(doc: T): T & LearnerOptionalFields {
  const phone = doc.phone_number ?? {};
  return {
    ...learnerDefaults(),
    ...doc,
    phone_number: { mobile: completeEntry(phone.mobile), telephone: completeEntry(phone.telephone) },
  };
}

/** Create: unknown keys (and server-set ones: uuid, times, is_archived) are ignored; absent or null is the default. */
export const learnerCreate = z.object({
  first_name: inputName(NAME_MAX),
  last_name: inputName(NAME_MAX),
  email_address: inputEmail,
  ...defaultedOf(inputSpecs),
  /** Which of the caller's centers; may be left out where the caller has only one. */
  center_id: id.nullish().transform((value) => value ?? undefined),
});
export type LearnerCreate = z.output<typeof learnerCreate>;

const { middle_name: _m, suffix: _s, prefix: _p, ...editableSpecs } = inputSpecs;

/** Update: partial (absent or null keeps the value); unknown and non-editable keys are refused. */
export const learnerUpdate = z
  .strictObject(
    nullishShape({
      first_name: inputName(NAME_MAX),
      last_name: inputName(NAME_MAX),
      email_address: inputEmail,
      ...schemasOf(editableSpecs),
      is_archived: z.boolean(),
      /** A move to another center (administrators only). */
      center_id: id,
    }),
  )
  .transform(withoutNullish);
export type LearnerUpdate = z.output<typeof learnerUpdate>;

export const learnerSortFields = ['first_name', 'last_name', 'created_time'] as const;
export const sortOrders = ['ascending', 'descending'] as const;
