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
import { knownApiMessage } from '../i18n/api-messages';
import { useT } from '../i18n/LanguageProvider';
import { achievementTypeLabel, careerExamples, careerLabel, employmentOption, goalLabel } from '../i18n/value-labels';
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
  const translator = useT();
  const { t } = translator;
  const full = max !== undefined && value.length >= max;
  return (
    <fieldset className={`choices${error ? ' field-invalid' : ''}`} aria-invalid={Boolean(error)}>
      <legend>
        {legend}
        {max !== undefined && <span className="hint"> {t('profileForm.upTo', { max, chosen: value.length })}</span>}
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
      {error && <div className="error" role="alert">{knownApiMessage(translator, error) ?? error}</div>}
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
  const translator = useT();
  const { t } = translator;
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
    <form className="form profile-form" onSubmit={submit} noValidate aria-label={t(mode === 'create' ? 'profileForm.createLabel' : 'profileForm.editLabel')}>
      <UnsavedChangesGuard dirty={isDirty && !isSubmitSuccessful && !isSubmitting} />
      {errors.root && <p className="error form-error" role="alert">{errors.root.message}</p>}

      <Controller
        control={control}
        name="learning_goals"
        render={({ field }) => (
          <div className="group">
            <CheckboxGroup
              legend={t('field.learningGoals')}
              options={goals.map((goal) => ({ value: goal, label: goalLabel(translator, goal) }))}
              value={field.value.filter((g) => goals.includes(g))}
              onChange={(chosen) => field.onChange([...chosen, ...field.value.filter((g) => !goals.includes(g))])}
              error={error('learning_goals')}
            />
            <TagInput
              label={t('profileForm.otherGoals')}
              value={field.value.filter((g) => !goals.includes(g))}
              onChange={(other) => field.onChange([...field.value.filter((g) => goals.includes(g)), ...other])}
              placeholder={t('profileForm.goalPlaceholder')}
            />
          </div>
        )}
      />

      <div className="grid">
        <Field label={t('profileForm.weeklyStudyTime', { max: MAX_WEEKLY_STUDY_TIME })} error={error('learning_constraints.weekly_study_time')}>
          {(a11y) => (
            <input {...a11y} type="number" min={0} max={MAX_WEEKLY_STUDY_TIME} step={1} inputMode="numeric" {...register('learning_constraints.weekly_study_time', { valueAsNumber: true })} />
          )}
        </Field>
        <Field label={t('field.employmentStatus')} error={error('employment_status')}>
          {(a11y) => (
            <select {...a11y} {...register('employment_status')}>
              {employmentStatuses.map((status) => (
                <option key={status} value={status}>
                  {employmentOption(translator, status)}
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
            legend={t('profileForm.careerFields')}
            max={MAX_CAREER_FIELDS}
            options={fields.potential_career_fields.map((f) => ({
              value: f.field_name,
              label: careerLabel(translator, f.field_name),
              hint: careerExamples(translator, f.field_name, f.examples),
            }))}
            value={field.value}
            onChange={field.onChange}
            error={error('potential_career_fields')}
          />
        )}
      />

      <Field
        label={t('field.personalGoals')}
        error={error('personal_goals')}
        hint={<span aria-live="polite">{t('profileForm.characters', { count: personalGoals.length, max: MAX_PERSONAL_GOALS })}</span>}
      >
        {(a11y) => <textarea {...a11y} rows={4} maxLength={MAX_PERSONAL_GOALS} {...register('personal_goals')} />}
      </Field>

      <fieldset className="choices">
        <legend>{t('field.contactPreferences')}</legend>
        <label className="choice">
          <input type="checkbox" {...register('contact_preferences.email')} /> {t('profileForm.byEmail')}
        </label>
        <label className="choice">
          <input type="checkbox" {...register('contact_preferences.phone')} /> {t('profileForm.byPhone')}
        </label>
      </fieldset>

      {audience === 'counselor' && (
      <div className="grid">
        <Controller control={control} name="tagged_skills" render={({ field }) => <TagInput label={t('field.skills')} value={field.value} onChange={field.onChange} />} />
        <Controller control={control} name="tagged_competencies" render={({ field }) => <TagInput label={t('field.competencies')} value={field.value} onChange={field.onChange} />} />
      </div>

      )}

      {audience === 'counselor' && (
      <Controller
        control={control}
        name="achievements"
        render={({ field }) =>
          achievements.data && achievements.data.length > 0 ? (
            <CheckboxGroup
              legend={t('field.achievements')}
              options={achievements.data.map((a: Achievement) => ({ value: a.uuid, label: a.name, hint: t('profileForm.achievementType', { type: achievementTypeLabel(translator, a.type) }) }))}
              value={field.value}
              onChange={field.onChange}
              error={error('achievements')}
            />
          ) : (
            <p className="hint">{t('profileForm.noAchievements')}</p>
          )
        }
      />
      )}

      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? t('common.saving') : t(mode === 'create' ? 'profileForm.create' : 'profileForm.save')}
        </button>
      </div>
    </form>
  );
}
