import { z } from 'zod';
import { id, inputEmail, storedEmail, time, withDefault } from './common';
import { nullishShape, withoutNullish } from './shape';

const text = (max: number) => z.string().max(max);
const lettersAndDigits = (max: number) =>
  z.string().max(max).regex(/^[A-Za-z0-9]*$/, 'must contain only letters and digits');
const name = z.string().min(1).max(60);

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

const phone = z.strictObject({
  phone_number_type: z.enum(['Home', 'Work', 'Mobile', 'Fax', 'Other']).optional(),
  primary_phone_number_indicator: z.enum(['Yes', 'No']).optional(),
  phone_number: text(24),
});

/** The optional learner fields, with the email schema of the side (stored or input). */
const optionalFields = <E extends z.ZodType<string>>(email: E) => ({
  middle_name: text(60),
  suffix: lettersAndDigits(10),
  prefix: lettersAndDigits(30),
  preferred_name: text(100),
  preferred_first_name: text(100),
  preferred_middle_name: text(100),
  preferred_last_name: text(100),
  preferred_pronoun: z.string(),
  student_identifier: text(40),
  student_identification_system: text(15),
  address_type: text(30),
  street_number_and_name: text(100),
  apartment_room_or_suite_number: text(100),
  city: text(100),
  state_abbreviation: text(2),
  postal_code: text(17),
  country_name: text(30),
  country_code: text(2),
  phone_number: z.strictObject({ mobile: phone.optional(), telephone: phone.optional() }),
  backup_email_address: email,
  birth_date: z.iso.date(),
  ethnicity: text(100),
  employer_id: z.string(),
  employer: z.string(),
  employer_email: z.union([z.literal(''), email]),
  affiliation: z.string(),
});

const storedOptional = optionalFields(storedEmail);
const inputOptional = optionalFields(inputEmail);

/** A learner as stored and replicated. `is_deleted` is internal and never leaves an API. */
export const storedLearner = z.strictObject({
  uuid: id,
  first_name: name,
  last_name: name,
  email_address: storedEmail,
  ...(Object.fromEntries(Object.entries(storedOptional).map(([k, s]) => [k, s.optional()])) as {
    [K in keyof typeof storedOptional]: z.ZodOptional<(typeof storedOptional)[K]>;
  }),
  preferred_name_type: z.enum(preferredNameTypes),
  email_address_type: z.enum(emailAddressTypes),
  gender: z.enum(genders),
  is_archived: z.boolean(),
  is_deleted: z.boolean(),
  /** A one-time kiosk code a counselor made (its hash only; null once used); internal, like is_deleted. */
  access_code: z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), expires_time: time }).nullable().optional(),
  created_time: time,
  last_modified_time: time,
});
export type StoredLearner = z.infer<typeof storedLearner>;
export type Learner = Omit<StoredLearner, 'is_deleted' | 'access_code'>;

/** Create: unknown keys (and server-set ones: uuid, times, is_archived) are ignored. */
export const learnerCreate = z
  .object({
    first_name: name,
    last_name: name,
    email_address: inputEmail,
    ...nullishShape(inputOptional),
    preferred_name_type: withDefault(z.enum(preferredNameTypes), 'PreferredName'),
    email_address_type: withDefault(z.enum(emailAddressTypes), 'Work'),
    gender: withDefault(z.enum(genders), 'NotSelected'),
  })
  .transform(withoutNullish);
export type LearnerCreate = z.output<typeof learnerCreate>;

const { middle_name: _m, suffix: _s, prefix: _p, ...editableOptional } = inputOptional;

/** Update: partial; unknown and non-editable keys are refused. */
export const learnerUpdate = z
  .strictObject(
    nullishShape({
      first_name: name,
      last_name: name,
      email_address: inputEmail,
      ...editableOptional,
      preferred_name_type: z.enum(preferredNameTypes),
      email_address_type: z.enum(emailAddressTypes),
      gender: z.enum(genders),
      is_archived: z.boolean(),
    }),
  )
  .transform(withoutNullish);
export type LearnerUpdate = z.output<typeof learnerUpdate>;

export const learnerSortFields = ['first_name', 'last_name', 'created_time'] as const;
export const sortOrders = ['ascending', 'descending'] as const;
