// Create or edit a learner profile: every editable field, validated from the shared zod schemas, pickers from the
// education-fields list, achievements from the catalog.
import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, get, useForm, type FieldPath } from 'react-hook-form';
import type { Resolver } from 'react-hook-form';
import type { Achievement } from '../../../shared/schemas/achievement';
import {
  employmentStatuses,
  MAX_CAREER_FIELDS,
  MAX_PERSONAL_GOALS,
  MAX_WEEKLY_STUDY_TIME,
  profileCreate,
  profileUpdate,
  type ProfileFields,
} from '../../../shared/schemas/profile';
import fields from '../data/education-fields.json';
import { Field } from '../components/Field';
import { TagInput } from '../components/TagInput';
import { UnsavedChangesGuard } from '../components/UnsavedChangesGuard';
import { useAchievements } from '../lib/queries';
import { ApiError } from '../lib/result';

export type ProfileFormValues = Pick<
  ProfileFields,
  | 'learning_goals'
  | 'employment_status'
  | 'potential_career_fields'
  | 'personal_goals'
  | 'contact_preferences'
  | 'tagged_skills'
  | 'tagged_competencies'
  | 'achievements'
> & { learning_constraints: { weekly_study_time: number } };

export function toProfileFormValues(profile?: Partial<ProfileFields>): ProfileFormValues {
  return {
    learning_goals: profile?.learning_goals ?? [],
    learning_constraints: { weekly_study_time: profile?.learning_constraints?.weekly_study_time ?? 0 },
    employment_status: profile?.employment_status ?? '',
    potential_career_fields: profile?.potential_career_fields ?? [],
    personal_goals: profile?.personal_goals ?? '',
    contact_preferences: profile?.contact_preferences ?? { email: false, phone: false },
    tagged_skills: profile?.tagged_skills ?? [],
    tagged_competencies: profile?.tagged_competencies ?? [],
    achievements: profile?.achievements ?? [],
  };
}

const EMPLOYMENT_LABELS: Record<(typeof employmentStatuses)[number], string> = {
  '': 'Not given',
  'Full-time': 'Employed full-time',
  'Part-time': 'Employed part-time',
  'Seeking work': 'Seeking work',
  Unemployed: 'Unemployed',
};

function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  max,
  error,
}: {
  legend: string;
  options: { value: string; label: string; hint?: string }[];
  value: string[];
  onChange(next: string[]): void;
  max?: number;
  error?: string;
}) {
  const full = max !== undefined && value.length >= max;
  return (
    <fieldset className={`choices${error ? ' field-invalid' : ''}`} aria-invalid={Boolean(error)}>
      <legend>
        {legend}
        {max !== undefined && <span className="hint"> (up to {max}; {value.length} chosen)</span>}
      </legend>
      {options.map((option) => {
        const checked = value.includes(option.value);
        return (
          <label key={option.value} className="choice">
            <input
              type="checkbox"
              checked={checked}
              disabled={!checked && full}
              onChange={(e) => onChange(e.target.checked ? [...value, option.value] : value.filter((v) => v !== option.value))}
            />
            <span>
              {option.label}
              {option.hint && <span className="hint"> {option.hint}</span>}
            </span>
          </label>
        );
      })}
      {error && <div className="error" role="alert">{error}</div>}
    </fieldset>
  );
}

export function ProfileForm({
  mode,
  initial,
  onSubmit,
  onCancel,
  audience = 'counselor',
}: {
  mode: 'create' | 'edit';
  initial?: Partial<ProfileFields>;
  onSubmit(body: ProfileFormValues): Promise<void>;
  onCancel(): void;
  /** A learner filling in their own profile at a kiosk sees what is theirs to say, not a counselor's assessments. */
  audience?: 'counselor' | 'learner';
}) {
  const achievements = useAchievements();
  const form = useForm<ProfileFormValues>({
    defaultValues: toProfileFormValues(initial),
    resolver: zodResolver((mode === 'create' ? profileCreate : profileUpdate) as never) as unknown as Resolver<ProfileFormValues>,
    mode: 'onTouched',
  });
  const { register, control, handleSubmit, formState, setError, watch } = form;
  const { errors, isSubmitting, isDirty, isSubmitSuccessful } = formState;
  const error = (name: FieldPath<ProfileFormValues>) => (get(errors, name) as { message?: string } | undefined)?.message;
  const personalGoals = watch('personal_goals') ?? '';

  // The resolver's output is the API body (nested defaults filled in).
  const submit = handleSubmit(async (body) => {
    try {
      await onSubmit(body);
      form.reset(form.getValues());
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      const fieldErrors = caught.fieldErrors();
      const names = Object.keys(fieldErrors);
      names.forEach((name, i) => setError(name as FieldPath<ProfileFormValues>, { message: fieldErrors[name] }, { shouldFocus: i === 0 }));
      if (names.length === 0) setError('root', { message: caught.message });
    }
  });

  const goals = fields.education_goals;
  return (
    <form className="form profile-form" onSubmit={submit} noValidate aria-label={mode === 'create' ? 'Create the profile' : 'Edit the profile'}>
      <UnsavedChangesGuard dirty={isDirty && !isSubmitSuccessful && !isSubmitting} />
      {errors.root && <p className="error form-error" role="alert">{errors.root.message}</p>}

      <Controller
        control={control}
        name="learning_goals"
        render={({ field }) => (
          <div className="group">
            <CheckboxGroup
              legend="Learning goals"
              options={goals.map((goal) => ({ value: goal, label: goal }))}
              value={field.value.filter((g) => goals.includes(g))}
              onChange={(chosen) => field.onChange([...chosen, ...field.value.filter((g) => !goals.includes(g))])}
              error={error('learning_goals')}
            />
            <TagInput
              label="Other learning goals"
              value={field.value.filter((g) => !goals.includes(g))}
              onChange={(other) => field.onChange([...field.value.filter((g) => goals.includes(g)), ...other])}
              placeholder="Type a goal and press Enter"
            />
          </div>
        )}
      />

      <div className="grid">
        <Field label={`Weekly study time (hours, 0–${MAX_WEEKLY_STUDY_TIME})`} error={error('learning_constraints.weekly_study_time')}>
          {(a11y) => (
            <input {...a11y} type="number" min={0} max={MAX_WEEKLY_STUDY_TIME} step={1} inputMode="numeric" {...register('learning_constraints.weekly_study_time', { valueAsNumber: true })} />
          )}
        </Field>
        <Field label="Employment status" error={error('employment_status')}>
          {(a11y) => (
            <select {...a11y} {...register('employment_status')}>
              {employmentStatuses.map((status) => (
                <option key={status} value={status}>
                  {EMPLOYMENT_LABELS[status]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <Controller
        control={control}
        name="potential_career_fields"
        render={({ field }) => (
          <CheckboxGroup
            legend="Potential career fields"
            max={MAX_CAREER_FIELDS}
            options={fields.potential_career_fields.map((f) => ({ value: f.field_name, label: f.field_name, hint: f.examples }))}
            value={field.value}
            onChange={field.onChange}
            error={error('potential_career_fields')}
          />
        )}
      />

      <Field label="Personal goals" error={error('personal_goals')} hint={<span aria-live="polite">{personalGoals.length} / {MAX_PERSONAL_GOALS} characters</span>}>
        {(a11y) => <textarea {...a11y} rows={4} maxLength={MAX_PERSONAL_GOALS} {...register('personal_goals')} />}
      </Field>

      <fieldset className="choices">
        <legend>Contact preferences</legend>
        <label className="choice">
          <input type="checkbox" {...register('contact_preferences.email')} /> By email
        </label>
        <label className="choice">
          <input type="checkbox" {...register('contact_preferences.phone')} /> By phone
        </label>
      </fieldset>

      {audience === 'counselor' && (
      <div className="grid">
        <Controller control={control} name="tagged_skills" render={({ field }) => <TagInput label="Skills" value={field.value} onChange={field.onChange} />} />
        <Controller control={control} name="tagged_competencies" render={({ field }) => <TagInput label="Competencies" value={field.value} onChange={field.onChange} />} />
      </div>

      )}

      {audience === 'counselor' && (
      <Controller
        control={control}
        name="achievements"
        render={({ field }) =>
          achievements.data && achievements.data.length > 0 ? (
            <CheckboxGroup
              legend="Achievements"
              options={achievements.data.map((a: Achievement) => ({ value: a.uuid, label: a.name, hint: `(${a.type})` }))}
              value={field.value}
              onChange={field.onChange}
              error={error('achievements')}
            />
          ) : (
            <p className="hint">No achievements in the catalog yet: they arrive from the central server when this device syncs.</p>
          )
        }
      />
      )}

      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? 'Saving…' : mode === 'create' ? 'Create profile' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
