// A learner's details as a list of what is filled in.
import type { Learner } from '../../../shared/schemas/learner';
import { formatWhen } from '../lib/format';

export function LearnerDetails({ learner }: { learner: Learner }) {
  const rows: [string, string | undefined][] = [
    ['Email', learner.email_address],
    ['Preferred name', learner.preferred_name],
    ['Preferred given name', learner.preferred_first_name],
    ['Preferred family name', learner.preferred_last_name],
    ['Pronouns', learner.preferred_pronoun],
    ['Date of birth', learner.birth_date ?? undefined],
    ['Mobile phone', learner.phone_number?.mobile?.phone_number],
    ['Home phone', learner.phone_number?.telephone?.phone_number],
    ['Backup email', learner.backup_email_address],
    ['Organisation email', learner.organisation_email_id],
    ['City', learner.city],
    ['Postal code', learner.postal_code],
    ['Student ID', learner.student_identifier],
    ['Registered', formatWhen(learner.created_time)],
    ['Last changed', formatWhen(learner.last_modified_time)],
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
