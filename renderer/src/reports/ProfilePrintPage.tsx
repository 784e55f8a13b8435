// A learner's profile to hand them, on one printed page: their center's name, their details and their profile, and
// nothing else (the main process chooses the fields: report.profileSheet). On screen it looks like the page it
// prints; the print style sheet (styles.css, @media print) leaves only the page. Print uses the browser's or the
// app's print dialog; the app can also save the page as a PDF itself (Electron's printToPDF of this same view).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ProfileSheet, ReportFile, Shortened } from '../../../shared/desktop';
import { api } from '../api';
import { useT } from '../i18n/LanguageProvider';
import type { Translator } from '../i18n/translator';
import { careerLabel, employmentLabel, goalLabel, progressKindLabel, progressStatusLabel } from '../i18n/value-labels';
import { data } from '../lib/result';

/** A cut list in words: "a, b, c, and 3 more". */
const listText = ({ t }: Translator, list: Shortened<string>, label: (item: string) => string = (item) => item) =>
  list.items.length === 0
    ? t('common.none')
    : `${list.items.map(label).join(', ')}${list.more > 0 ? `, ${t('print.more', { count: list.more })}` : ''}`;

function Row({ label, value, wide }: { label: string; value: string; wide?: boolean | 'half' }) {
  return (
    <div className={wide === 'half' ? 'two-thirds' : wide ? 'wide' : undefined}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Sheet({ sheet }: { sheet: ProfileSheet }) {
  const translator = useT();
  const { t } = translator;
  const { learner, profile } = sheet;
  const none = t('common.none');
  // An address is read whole: it gets the room of two columns, so that it does not break.
  const details: [string, string, ('half' | undefined)?][] = [
    [t('field.email'), learner.email_address, 'half'],
    [t('field.preferredName'), learner.preferred_name],
    [t('field.birthDate'), learner.birth_date && translator.calendarDay(learner.birth_date)],
    [t('field.mobilePhone'), learner.mobile_phone],
    [t('field.homePhone'), learner.home_phone],
    [t('field.city'), learner.city],
    [t('field.postalCode'), learner.postal_code],
    [t('field.studentId'), learner.student_identifier],
    [t('field.registered'), translator.day(learner.created_time)],
  ];
  const contact = profile && [profile.contact.email && t('contact.email'), profile.contact.phone && t('contact.phone')].filter((way) => way !== false);
  return (
    <article className="sheet" aria-label={t('print.sheet')} data-print-ready="">
      <header className="sheet-header">
        <p className="sheet-center">{sheet.center_name ?? t('center.unknown')}</p>
        <h1>
          {learner.first_name} {learner.last_name}
        </h1>
        <p className="sheet-meta">
          {t('print.kind')} · {t('print.printed', { day: translator.day(sheet.printed_time) })}
          {learner.is_archived && ` · ${t('learner.archivedBadge')}`}
        </p>
      </header>
      <section aria-labelledby="sheet-details">
        <h2 id="sheet-details">{t('print.details')}</h2>
        <dl className="sheet-details">
          {details
            .filter(([, value]) => value)
            .map(([label, value, wide]) => (
              <Row key={label} label={label} value={value} wide={wide} />
            ))}
        </dl>
      </section>
      <section aria-labelledby="sheet-profile">
        <h2 id="sheet-profile">{t('print.profile')}</h2>
        {profile === null ? (
          <p>{t('print.noProfile')}</p>
        ) : (
          <>
            <dl className="sheet-details">
              <Row label={t('field.learningGoals')} value={listText(translator, profile.learning_goals, (goal) => goalLabel(translator, goal))} wide />
              <Row label={t('field.weeklyStudyTime')} value={profile.weekly_study_time === null ? none : t('print.hours', { hours: profile.weekly_study_time })} />
              <Row label={t('field.employmentStatus')} value={profile.employment_status ? employmentLabel(translator, profile.employment_status) : none} />
              <Row label={t('print.contactBy')} value={contact?.length ? translator.intl.formatList(contact, { type: 'conjunction' }) : t('contact.none')} />
              <Row label={t('field.careerFields')} value={profile.potential_career_fields.map((field) => careerLabel(translator, field)).join(', ') || none} wide />
              <Row label={t('field.personalGoals')} value={profile.personal_goals || none} wide />
              <Row label={t('field.skills')} value={listText(translator, profile.skills)} wide />
              <Row label={t('field.competencies')} value={listText(translator, profile.competencies)} wide />
              <Row label={t('field.achievements')} value={listText(translator, profile.achievements)} wide />
            </dl>
            {profile.progress.items.length > 0 && (
              <table className="sheet-progress">
                <caption>{t('field.progress')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('progress.kind')}</th>
                    <th scope="col">{t('progress.name')}</th>
                    <th scope="col">{t('progress.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {profile.progress.items.map((entry, index) => (
                    <tr key={index}>
                      <td>{progressKindLabel(translator, entry.kind, 'one')}</td>
                      <td>{entry.name}</td>
                      <td>{progressStatusLabel(translator, entry.status)}</td>
                    </tr>
                  ))}
                  {profile.progress.more > 0 && (
                    <tr>
                      <td colSpan={3}>{t('print.more', { count: profile.progress.more })}</td>
                    </tr>
                  )}
                </tbody>
              </table>
            )}
            <p className="sheet-note">{t(profile.complete ? 'print.complete' : 'print.incomplete')}</p>
          </>
        )}
      </section>
    </article>
  );
}

export function ProfilePrintPage() {
  const { t } = useT();
  const { learnerId = '' } = useParams();
  const sheet = useQuery({ queryKey: ['profile', learnerId, 'sheet'], queryFn: () => data<ProfileSheet>(api.report.profileSheet(learnerId)) });
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const savePdf = async () => {
    setStatus({ tone: 'ok', text: t('print.saving') });
    try {
      const file = await data<ReportFile>(api.report.profilePdf(learnerId));
      const { delivery } = file;
      setStatus({
        tone: 'ok',
        text: delivery.kind === 'cancelled' ? t('report.notSaved') : t('print.saved', delivery.kind === 'saved' ? { where: 'path', file: delivery.path } : { where: 'name', file: file.file_name }),
      });
    } catch (error) {
      setStatus({ tone: 'error', text: (error as Error).message });
    }
  };

  return (
    <section className="page print-page">
      <div className="print-toolbar no-print">
        <Link to={`/learners/${learnerId}`}>{t('print.back')}</Link>
        <div className="actions">
          <button type="button" className="primary" onClick={() => window.print()} disabled={!sheet.data}>
            {t('print.print')}
          </button>
          {sheet.data?.can_save_pdf && (
            <button type="button" onClick={() => void savePdf()}>
              {t('print.savePdf')}
            </button>
          )}
        </div>
        {status && (
          <p className={status.tone === 'ok' ? 'summary' : 'summary error'} role={status.tone === 'ok' ? 'status' : 'alert'}>
            {status.text}
          </p>
        )}
      </div>
      {sheet.isPending && <p>{t('app.loading')}</p>}
      {sheet.isError && (
        <p className="error" role="alert">
          {sheet.error.message}
        </p>
      )}
      {sheet.data && <Sheet sheet={sheet.data} />}
    </section>
  );
}
