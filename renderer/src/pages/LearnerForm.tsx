// The learner form, for registering and for editing: validated inline from the shared zod schemas, each message
// beside its field, focus on the first error, the API's own refusals (a duplicate email) shown at their field.
import { zodResolver } from '@hookform/resolvers/zod';
import { get, useForm, type FieldPath } from 'react-hook-form';
import type { Resolver } from 'react-hook-form';
import { z } from 'zod';
import { genders, learnerCreate, learnerUpdate, type Learner } from '../../../shared/schemas/learner';
import { Field } from '../components/Field';
import { UnsavedChangesGuard } from '../components/UnsavedChangesGuard';
import { withoutBlanks } from '../lib/blank';
import { ApiError } from '../lib/result';

export interface LearnerFormValues {
  first_name: string;
  last_name: string;
  email_address: string;
  preferred_name: string;
  middle_name: string;
  birth_date: string;
  gender: (typeof genders)[number];
  phone_number: { mobile: { phone_number: string } };
  backup_email_address: string;
  city: string;
  postal_code: string;
  student_identifier: string;
}

const GENDER_LABELS: Record<(typeof genders)[number], string> = { NotSelected: 'Not given', Female: 'Female', Male: 'Male' };
const GENDER_ORDER = ['NotSelected', 'Female', 'Male'] as const satisfies readonly (typeof genders)[number][];

export function toFormValues(learner?: Learner): LearnerFormValues {
  return {
    first_name: learner?.first_name ?? '',
    last_name: learner?.last_name ?? '',
    email_address: learner?.email_address ?? '',
    preferred_name: learner?.preferred_name ?? '',
    middle_name: learner?.middle_name ?? '',
    birth_date: learner?.birth_date ?? '',
    gender: learner?.gender ?? 'NotSelected',
    phone_number: { mobile: { phone_number: learner?.phone_number?.mobile?.phone_number ?? '' } },
    backup_email_address: learner?.backup_email_address ?? '',
    city: learner?.city ?? '',
    postal_code: learner?.postal_code ?? '',
    student_identifier: learner?.student_identifier ?? '',
  };
}

/** The API body from the form: blanks left out, the mobile number typed as such. */
export function toBody(values: LearnerFormValues, mode: 'create' | 'edit') {
  const body = withoutBlanks({ ...values }) as Record<string, unknown>;
  const mobile = (values.phone_number?.mobile?.phone_number ?? '').trim();
  body.phone_number = mobile ? { mobile: { phone_number: mobile, phone_number_type: 'Mobile', primary_phone_number_indicator: 'Yes' } } : undefined;
  if (!mobile) delete body.phone_number;
  if (mode === 'edit') delete body.middle_name;
  return body;
}

const schemas = {
  create: z.preprocess((v) => toBody(v as LearnerFormValues, 'create'), learnerCreate),
  edit: z.preprocess((v) => toBody(v as LearnerFormValues, 'edit'), learnerUpdate),
};

/** At a kiosk the date of birth is how a learner gets back to their profile: registration asks for it. */
const withBirthDate = (schema: z.ZodType) =>
  schema.superRefine((body, context) => {
    if (!(body as { birth_date?: string }).birth_date) context.addIssue({ code: 'custom', path: ['birth_date'], message: 'Enter your date of birth: you will need it to come back to your profile' });
  });

export function LearnerForm({
  mode,
  learner,
  submitLabel,
  onSubmit,
  onCancel,
  requireBirthDate = false,
}: {
  mode: 'create' | 'edit';
  learner?: Learner;
  submitLabel: string;
  onSubmit(body: Record<string, unknown>): Promise<void>;
  onCancel?(): void;
  requireBirthDate?: boolean;
}) {
  const form = useForm<LearnerFormValues>({
    defaultValues: toFormValues(learner),
    resolver: zodResolver((requireBirthDate ? withBirthDate(schemas[mode]) : schemas[mode]) as never) as unknown as Resolver<LearnerFormValues>,
    mode: 'onTouched',
  });
  const { register, handleSubmit, formState, setError } = form;
  const { errors, isSubmitting, isDirty, isSubmitSuccessful } = formState;

  // The resolver's output is already the API body (blanks dropped, email lower-cased).
  const submit = handleSubmit(async (body) => {
    try {
      await onSubmit(body as unknown as Record<string, unknown>);
      form.reset(form.getValues());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = error.fieldErrors();
      if (error.status === 409 && error.message.includes('email address')) fields.email_address = error.message;
      if (error.message.startsWith('Primary email address')) fields.backup_email_address = error.message;
      const names = Object.keys(fields);
      names.forEach((name, index) => setError(name as FieldPath<LearnerFormValues>, { message: fields[name] }, { shouldFocus: index === 0 }));
      if (names.length === 0) setError('root', { message: error.message });
    }
  });

  const text = (name: FieldPath<LearnerFormValues>, label: string, props: Record<string, unknown> = {}) => (
    <Field label={label} error={(get(errors, name) as { message?: string } | undefined)?.message}>
      {(a11y) => <input {...a11y} {...register(name)} {...props} />}
    </Field>
  );

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={mode === 'create' ? 'Register a learner' : 'Edit the learner'}>
      <UnsavedChangesGuard dirty={isDirty && !isSubmitSuccessful && !isSubmitting} />
      {errors.root && <p className="error form-error" role="alert">{errors.root.message}</p>}
      <div className="grid">
        {text('first_name', 'First name', { autoComplete: 'given-name', required: true })}
        {text('last_name', 'Last name', { autoComplete: 'family-name', required: true })}
        {text('email_address', 'Email', { type: 'email', autoComplete: 'email', required: true })}
        {text('preferred_name', 'Preferred name')}
        {mode === 'create' && text('middle_name', 'Middle name', { autoComplete: 'additional-name' })}
        {text('birth_date', 'Date of birth', { type: 'date', required: requireBirthDate })}
        <Field label="Gender" error={errors.gender?.message}>
          {(a11y) => (
            <select {...a11y} {...register('gender')}>
              {GENDER_ORDER.map((g) => (
                <option key={g} value={g}>
                  {GENDER_LABELS[g]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('phone_number.mobile.phone_number', 'Mobile phone', { type: 'tel', autoComplete: 'tel' })}
        {text('backup_email_address', 'Backup email', { type: 'email' })}
        {text('city', 'City', { autoComplete: 'address-level2' })}
        {text('postal_code', 'Postal code', { autoComplete: 'postal-code' })}
        {text('student_identifier', 'Student ID')}
      </div>
      <div className="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
