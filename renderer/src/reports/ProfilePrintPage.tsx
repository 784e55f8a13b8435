// A learner's profile to hand them, on one printed page: their center's name, their details and their profile, and
// nothing else (the main process chooses the fields: report.profileSheet). On screen it looks like the page it
// prints; the print style sheet (styles.css, @media print) leaves only the page. Print uses the browser's or the
// app's print dialog; the app can also save the page as a PDF itself (Electron's printToPDF of this same view).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ProfileSheet, ReportFile, Shortened } from '../../../shared/desktop';
import { UNKNOWN_CENTER_NAME } from '../../../shared/report-labels';
import { api } from '../api';
import { formatDay } from '../lib/format';
import { data } from '../lib/result';

const TEXT = {
  back: 'Back to the learner',
  print: 'Print',
  savePdf: 'Save as PDF',
  saving: 'Making the PDF…',
  saved: (path: string) => `Saved to ${path}.`,
  downloaded: (name: string) => `Saved as ${name}.`,
  cancelled: 'Not saved.',
  loading: 'Loading…',
  sheet: 'Printable learner profile',
  kind: 'Learner profile',
  printed: (day: string) => `Printed ${day}`,
  details: 'Details',
  profile: 'Learning profile',
  noProfile: 'No learner profile yet.',
  more: (n: number) => `and ${n} more`,
  none: '—',
  complete: 'This profile is complete.',
  incomplete: 'Some parts of this profile are still to be filled in.',
  archived: 'Archived',
  labels: {
    email: 'Email',
    preferredName: 'Preferred name',
    birthDate: 'Date of birth',
    mobile: 'Mobile phone',
    home: 'Home phone',
    city: 'City',
    postalCode: 'Postal code',
    studentId: 'Student ID',
    registered: 'Registered',
    goals: 'Learning goals',
    hours: 'Weekly study time',
    employment: 'Employment status',
    careers: 'Career fields',
    personalGoals: 'Personal goals',
    contact: 'Contact by',
    skills: 'Skills',
    competencies: 'Competencies',
    achievements: 'Achievements',
    progress: 'Progress',
    progressKind: 'Kind',
    progressName: 'Name',
    progressStatus: 'Status',
  },
  hoursValue: (hours: number) => `${hours} ${hours === 1 ? 'hour' : 'hours'} a week`,
  contactValue: (contact: { email: boolean; phone: boolean }) =>
    [contact.email && 'email', contact.phone && 'phone'].filter(Boolean).join(' and ') || 'no contact',
  kinds: {
    curriculum_pathways: 'Curriculum pathway',
    learning_experiences: 'Learning experience',
    learning_objects: 'Learning object',
    learning_resources: 'Learning resource',
    assessments: 'Assessment',
  } as Record<string, string>,
};

const listText = (list: Shortened<string>) =>
  list.items.length === 0 ? TEXT.none : `${list.items.join(', ')}${list.more > 0 ? `, ${TEXT.more(list.more)}` : ''}`;

function Row({ label, value, wide }: { label: string; value: string; wide?: boolean | 'half' }) {
  return (
    <div className={wide === 'half' ? 'two-thirds' : wide ? 'wide' : undefined}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Sheet({ sheet }: { sheet: ProfileSheet }) {
  const { learner, profile } = sheet;
  const L = TEXT.labels;
  // An address is read whole: it gets the room of two columns, so that it does not break.
  const details: [string, string, ('half' | undefined)?][] = [
    [L.email, learner.email_address, 'half'],
    [L.preferredName, learner.preferred_name],
    [L.birthDate, learner.birth_date],
    [L.mobile, learner.mobile_phone],
    [L.home, learner.home_phone],
    [L.city, learner.city],
    [L.postalCode, learner.postal_code],
    [L.studentId, learner.student_identifier],
    [L.registered, formatDay(learner.created_time)],
  ];
  return (
    <article className="sheet" aria-label={TEXT.sheet} data-print-ready="">
      <header className="sheet-header">
        <p className="sheet-center">{sheet.center_name ?? UNKNOWN_CENTER_NAME}</p>
        <h1>
          {learner.first_name} {learner.last_name}
        </h1>
        <p className="sheet-meta">
          {TEXT.kind} · {TEXT.printed(formatDay(sheet.printed_time))}
          {learner.is_archived && ` · ${TEXT.archived}`}
        </p>
      </header>
      <section aria-labelledby="sheet-details">
        <h2 id="sheet-details">{TEXT.details}</h2>
        <dl className="sheet-details">
          {details
            .filter(([, value]) => value)
            .map(([label, value, wide]) => (
              <Row key={label} label={label} value={value} wide={wide} />
            ))}
        </dl>
      </section>
      <section aria-labelledby="sheet-profile">
        <h2 id="sheet-profile">{TEXT.profile}</h2>
        {profile === null ? (
          <p>{TEXT.noProfile}</p>
        ) : (
          <>
            <dl className="sheet-details">
              <Row label={L.goals} value={listText(profile.learning_goals)} wide />
              <Row label={L.hours} value={profile.weekly_study_time === null ? TEXT.none : TEXT.hoursValue(profile.weekly_study_time)} />
              <Row label={L.employment} value={profile.employment_status || TEXT.none} />
              <Row label={L.contact} value={TEXT.contactValue(profile.contact)} />
              <Row label={L.careers} value={profile.potential_career_fields.join(', ') || TEXT.none} wide />
              <Row label={L.personalGoals} value={profile.personal_goals || TEXT.none} wide />
              <Row label={L.skills} value={listText(profile.skills)} wide />
              <Row label={L.competencies} value={listText(profile.competencies)} wide />
              <Row label={L.achievements} value={listText(profile.achievements)} wide />
            </dl>
            {profile.progress.items.length > 0 && (
              <table className="sheet-progress">
                <caption>{L.progress}</caption>
                <thead>
                  <tr>
                    <th scope="col">{L.progressKind}</th>
                    <th scope="col">{L.progressName}</th>
                    <th scope="col">{L.progressStatus}</th>
                  </tr>
                </thead>
                <tbody>
                  {profile.progress.items.map((entry, index) => (
                    <tr key={index}>
                      <td>{TEXT.kinds[entry.kind] ?? entry.kind}</td>
                      <td>{entry.name}</td>
                      <td>{entry.status.replace(/_/g, ' ')}</td>
                    </tr>
                  ))}
                  {profile.progress.more > 0 && (
                    <tr>
                      <td colSpan={3}>{TEXT.more(profile.progress.more)}</td>
                    </tr>
                  )}
                </tbody>
              </table>
            )}
            <p className="sheet-note">{profile.complete ? TEXT.complete : TEXT.incomplete}</p>
          </>
        )}
      </section>
    </article>
  );
}

export function ProfilePrintPage() {
  const { learnerId = '' } = useParams();
  const sheet = useQuery({ queryKey: ['profile', learnerId, 'sheet'], queryFn: () => data<ProfileSheet>(api.report.profileSheet(learnerId)) });
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const savePdf = async () => {
    setStatus({ tone: 'ok', text: TEXT.saving });
    try {
      const file = await data<ReportFile>(api.report.profilePdf(learnerId));
      const { delivery } = file;
      setStatus({
        tone: 'ok',
        text: delivery.kind === 'saved' ? TEXT.saved(delivery.path) : delivery.kind === 'cancelled' ? TEXT.cancelled : TEXT.downloaded(file.file_name),
      });
    } catch (error) {
      setStatus({ tone: 'error', text: (error as Error).message });
    }
  };

  return (
    <section className="page print-page">
      <div className="print-toolbar no-print">
        <Link to={`/learners/${learnerId}`}>{TEXT.back}</Link>
        <div className="actions">
          <button type="button" className="primary" onClick={() => window.print()} disabled={!sheet.data}>
            {TEXT.print}
          </button>
          {sheet.data?.can_save_pdf && (
            <button type="button" onClick={() => void savePdf()}>
              {TEXT.savePdf}
            </button>
          )}
        </div>
        {status && (
          <p className={status.tone === 'ok' ? 'summary' : 'summary error'} role={status.tone === 'ok' ? 'status' : 'alert'}>
            {status.text}
          </p>
        )}
      </div>
      {sheet.isPending && <p>{TEXT.loading}</p>}
      {sheet.isError && (
        <p className="error" role="alert">
          {sheet.error.message}
        </p>
      )}
      {sheet.data && <Sheet sheet={sheet.data} />}
    </section>
  );
}
