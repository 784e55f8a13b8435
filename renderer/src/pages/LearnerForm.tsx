// The learner form, for registering and for editing: validated inline from the shared zod schemas, each message
// beside its field, focus on the first error, the API's own refusals (a duplicate email) shown at their field.
import { zodResolver } from '@hookform/resolvers/zod';
import { get, useForm, type FieldPath } from 'react-hook-form';
import type { Resolver } from 'react-hook-form';
import { z } from 'zod';
import { genders, learnerCreate, learnerUpdate, type Learner } from '../../../shared/schemas/learner';
import { Field } from '../components/Field';
import { UnsavedChangesGuard } from '../components/UnsavedChangesGuard';
import { useT } from '../i18n/LanguageProvider';
import type { Translator } from '../i18n/translator';
import { genderLabel } from '../i18n/value-labels';
import { ApiError } from '../lib/result';

export interface LearnerFormValues {
  first_name: string;
  last_name: string;
  email_address: string;
  preferred_name: string;
  preferred_first_name: string;
  preferred_last_name: string;
  preferred_pronoun: string;
  middle_name: string;
  birth_date: string;
  gender: (typeof genders)[number];
  phone_number: { mobile: { phone_number: string }; telephone: { phone_number: string } };
  backup_email_address: string;
  organisation_email_id: string;
  city: string;
  postal_code: string;
  student_identifier: string;
  /** The learner's center: chosen at registration where this device serves several. */
  center_id: string;
}

type PlainField = Exclude<keyof LearnerFormValues, 'phone_number'>;

const GENDER_ORDER = ['NotSelected', 'Female', 'Male'] as const satisfies readonly (typeof genders)[number][];
const EMAILS = new Set<PlainField>(['email_address', 'backup_email_address', 'organisation_email_id']);

export function toFormValues(learner?: Learner): LearnerFormValues {
  return {
    first_name: learner?.first_name ?? '',
    last_name: learner?.last_name ?? '',
    email_address: learner?.email_address ?? '',
    preferred_name: learner?.preferred_name ?? '',
    preferred_first_name: learner?.preferred_first_name ?? '',
    preferred_last_name: learner?.preferred_last_name ?? '',
    preferred_pronoun: learner?.preferred_pronoun ?? '',
    middle_name: learner?.middle_name ?? '',
    birth_date: learner?.birth_date ?? '',
    gender: learner?.gender ?? 'NotSelected',
    phone_number: {
      mobile: { phone_number: learner?.phone_number?.mobile?.phone_number ?? '' },
      telephone: { phone_number: learner?.phone_number?.telephone?.phone_number ?? '' },
    },
    backup_email_address: learner?.backup_email_address ?? '',
    organisation_email_id: learner?.organisation_email_id ?? '',
    city: learner?.city ?? '',
    postal_code: learner?.postal_code ?? '',
    student_identifier: learner?.student_identifier ?? '',
    center_id: learner?.center_id ?? '',
  };
}

/** What a new phone entry is, by its slot: the mobile is the primary number, the other one a home phone. */
const NEW_ENTRY = {
  mobile: { phone_number_type: 'Mobile', primary_phone_number_indicator: 'Yes' },
  telephone: { phone_number_type: 'Home', primary_phone_number_indicator: 'No' },
} as const;

/**
 * The API body from the form. A new learner: blanks left out (the defaults apply). An edit: only what changed, a
 * cleared field sent as '' (which clears it); the phone entries keep every detail the form does not show.
 */
export function toBody(values: LearnerFormValues, mode: 'create' | 'edit', learner?: Learner) {
  const before = toFormValues(learner);
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(values) as (keyof LearnerFormValues)[]) {
    // A move between centers is an administrator's business, not this form's.
    if (key === 'phone_number' || (mode === 'edit' && (key === 'middle_name' || key === 'center_id'))) continue;
    const raw = values[key];
    const value = EMAILS.has(key) ? raw.trim().toLowerCase() : raw;
    if (mode === 'create' ? value !== '' : value !== before[key]) body[key] = value;
  }
  const phones: Record<string, unknown> = {};
  for (const slot of ['mobile', 'telephone'] as const) {
    const number = (values.phone_number?.[slot]?.phone_number ?? '').trim();
    const changed = mode === 'create' ? number !== '' : number !== before.phone_number[slot].phone_number;
    if (changed) phones[slot] = { ...NEW_ENTRY[slot], ...learner?.phone_number?.[slot], phone_number: number };
  }
  if (Object.keys(phones).length > 0) {
    // A phone_number sent replaces both entries: the one left alone goes as it is.
    body.phone_number = { ...(learner?.phone_number ?? {}), ...phones };
  }
  return body;
}

const schemaFor = (mode: 'create' | 'edit', learner?: Learner) =>
  z.preprocess((v) => toBody(v as LearnerFormValues, mode, learner), mode === 'create' ? learnerCreate : learnerUpdate);

/** Where the device serves several centers, a new learner must be placed in one. */
const withCenter = (schema: z.ZodType, { t }: Translator) =>
  schema.superRefine((body, context) => {
    if (!(body as { center_id?: string }).center_id) context.addIssue({ code: 'custom', path: ['center_id'], message: t('learnerForm.chooseCenter') });
  });

/** At a kiosk the date of birth is how a learner gets back to their profile: registration asks for it. */
const withBirthDate = (schema: z.ZodType, { t }: Translator) =>
  schema.superRefine((body, context) => {
    if (!(body as { birth_date?: string }).birth_date) context.addIssue({ code: 'custom', path: ['birth_date'], message: t('learnerForm.birthDateNeeded') });
  });

export function LearnerForm({
  mode,
  learner,
  submitLabel,
  onSubmit,
  onCancel,
  requireBirthDate = false,
  centers = [],
}: {
  mode: 'create' | 'edit';
  learner?: Learner;
  submitLabel: string;
  onSubmit(body: Record<string, unknown>): Promise<void>;
  onCancel?(): void;
  requireBirthDate?: boolean;
  /** The centers this device serves (from Settings); with more than one, registration asks which. */
  centers?: readonly { id: string; name: string }[];
}) {
  const translator = useT();
  const { t } = translator;
  const chooseCenter = mode === 'create' && centers.length > 1;
  let schema: z.ZodType = schemaFor(mode, learner);
  if (requireBirthDate) schema = withBirthDate(schema, translator);
  if (chooseCenter) schema = withCenter(schema, translator);
  const form = useForm<LearnerFormValues>({
    defaultValues: toFormValues(learner),
    resolver: zodResolver(schema as never) as unknown as Resolver<LearnerFormValues>,
    mode: 'onTouched',
  });
  const { register, handleSubmit, formState, setError } = form;
  const { errors, isSubmitting, isDirty, isSubmitSuccessful } = formState;

  // The schema checked the body; the body sent is the form's own, the defaults left to the service.
  const submit = handleSubmit(async () => {
    try {
      await onSubmit(toBody(form.getValues(), mode, learner));
      form.reset(form.getValues());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = error.fieldErrors();
      if (error.status === 409 && error.apiMessage.includes('email address')) fields.email_address = error.message;
      if (error.apiMessage.startsWith('Primary email address')) fields.backup_email_address = error.message;
      const names = Object.keys(fields);
      names.forEach((name, index) => setError(name as FieldPath<LearnerFormValues>, { message: fields[name] }, { shouldFocus: index === 0 }));
      if (names.length === 0) setError('root', { message: error.message });
    }
  });

  // A date field shows its day, month and year in the system's order, not always the chosen language's: the day is
  // read back in words.
  const birthDate = form.watch('birth_date');
  const text = (name: FieldPath<LearnerFormValues>, label: string, props: Record<string, unknown> = {}, hint?: string) => (
    <Field label={label} hint={hint} error={(get(errors, name) as { message?: string } | undefined)?.message}>
      {(a11y) => <input {...a11y} {...register(name)} {...props} />}
    </Field>
  );

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t(mode === 'create' ? 'learnerForm.registerLabel' : 'learnerForm.editLabel')}>
      <UnsavedChangesGuard dirty={isDirty && !isSubmitSuccessful && !isSubmitting} />
      {errors.root && <p className="error form-error" role="alert">{errors.root.message}</p>}
      <div className="grid">
        {chooseCenter && (
          <Field label={t('learnerForm.center')} error={errors.center_id?.message}>
            {(a11y) => (
              <select {...a11y} {...register('center_id')} required>
                <option value="">{t('learnerForm.choose')}</option>
                {centers.map((center) => (
                  <option key={center.id} value={center.id}>
                    {center.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {text('first_name', t('field.firstName'), { autoComplete: 'given-name', required: true })}
        {text('last_name', t('field.lastName'), { autoComplete: 'family-name', required: true })}
        {text('email_address', t('field.email'), { type: 'email', autoComplete: 'email', required: true })}
        {text('preferred_name', t('field.preferredName'))}
        {text('preferred_first_name', t('field.preferredFirstName'))}
        {text('preferred_last_name', t('field.preferredLastName'))}
        {text('preferred_pronoun', t('field.pronouns'))}
        {mode === 'create' && text('middle_name', t('field.middleName'), { autoComplete: 'additional-name' })}
        {text('birth_date', t('field.birthDate'), { type: 'date', required: requireBirthDate }, birthDate ? t('field.dayInWords', { day: translator.longDay(birthDate) }) : undefined)}
        <Field label={t('field.gender')} error={errors.gender?.message}>
          {(a11y) => (
            <select {...a11y} {...register('gender')}>
              {GENDER_ORDER.map((g) => (
                <option key={g} value={g}>
                  {genderLabel(translator, g)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('phone_number.mobile.phone_number', t('field.mobilePhone'), { type: 'tel', autoComplete: 'tel' })}
        {text('phone_number.telephone.phone_number', t('field.homePhone'), { type: 'tel' })}
        {text('backup_email_address', t('field.backupEmail'), { type: 'email' })}
        {text('organisation_email_id', t('field.organisationEmail'), { type: 'email' })}
        {text('city', t('field.city'), { autoComplete: 'address-level2' })}
        {text('postal_code', t('field.postalCode'), { autoComplete: 'postal-code' })}
        {text('student_identifier', t('field.studentId'))}
      </div>
      <div className="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? t('common.saving') : submitLabel}
        </button>
      </div>
    </form>
  );
}
