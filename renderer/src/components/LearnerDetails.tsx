// A learner's details as a list of what is filled in.
import type { Learner } from '../../../shared/schemas/learner';
import { useT } from '../i18n/LanguageProvider';

export function LearnerDetails({ learner }: { learner: Learner }) {
  const translator = useT();
  const { t } = translator;
  const rows: [string, string | undefined][] = [
    [t('field.email'), learner.email_address],
    [t('field.preferredName'), learner.preferred_name],
    [t('field.preferredFirstName'), learner.preferred_first_name],
    [t('field.preferredLastName'), learner.preferred_last_name],
    [t('field.pronouns'), learner.preferred_pronoun],
    [t('field.birthDate'), learner.birth_date ? translator.calendarDay(learner.birth_date) : undefined],
    [t('field.mobilePhone'), learner.phone_number?.mobile?.phone_number],
    [t('field.homePhone'), learner.phone_number?.telephone?.phone_number],
    [t('field.backupEmail'), learner.backup_email_address],
    [t('field.organisationEmail'), learner.organisation_email_id],
    [t('field.city'), learner.city],
    [t('field.postalCode'), learner.postal_code],
    [t('field.studentId'), learner.student_identifier],
    [t('field.registered'), translator.when(learner.created_time)],
    [t('field.lastChanged'), translator.when(learner.last_modified_time)],
  ];
  return (
    <dl className="details">
      {rows
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
