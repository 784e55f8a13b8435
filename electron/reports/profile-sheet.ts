// What a learner's printed profile shows: their own details and profile, chosen field by field (nothing internal,
// no other learner), lists and long texts cut so that the page stays one page.
import type { ProfileSheet, Shortened } from '../../shared/desktop';
import { isProfileComplete } from '../../shared/dashboard';
import { progressKinds, type Profile } from '../../shared/schemas/profile';
import type { Learner } from '../../shared/schemas/learner';

/** How much of each list fits one page beside everything else (checked by printing the fullest profile). */
export const SHEET_LIMITS = { goals: 5, skills: 8, competencies: 8, achievements: 5, progress: 5, text: 80, tag: 32 } as const;

const cut = (text: string, max: number = SHEET_LIMITS.text) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

function shorten<T>(items: readonly T[], max: number, each: (item: T) => T = (item) => item): Shortened<T> {
  return { items: items.slice(0, max).map(each), more: Math.max(0, items.length - max) };
}

const cutText = (text: string) => cut(text);

export function profileSheet(
  learner: Learner,
  profile: Profile | undefined,
  context: { centerName: string | null; printedTime: string; achievementName(id: string): string | undefined; canSavePdf: boolean },
): ProfileSheet {
  return {
    center_name: context.centerName,
    printed_time: context.printedTime,
    learner: {
      first_name: learner.first_name,
      last_name: learner.last_name,
      preferred_name: learner.preferred_name ?? '',
      email_address: learner.email_address,
      mobile_phone: learner.phone_number?.mobile?.phone_number ?? '',
      home_phone: learner.phone_number?.telephone?.phone_number ?? '',
      birth_date: learner.birth_date ?? '',
      city: learner.city ?? '',
      postal_code: learner.postal_code ?? '',
      student_identifier: learner.student_identifier ?? '',
      created_time: learner.created_time,
      is_archived: learner.is_archived,
    },
    profile: profile === undefined ? null : {
      learning_goals: shorten(profile.learning_goals, SHEET_LIMITS.goals, cutText),
      weekly_study_time: profile.learning_constraints?.weekly_study_time ?? null,
      employment_status: profile.employment_status,
      potential_career_fields: profile.potential_career_fields.map(cutText),
      personal_goals: profile.personal_goals,
      contact: { ...profile.contact_preferences },
      skills: shorten(profile.tagged_skills, SHEET_LIMITS.skills, (skill) => cut(skill, SHEET_LIMITS.tag)),
      competencies: shorten(profile.tagged_competencies, SHEET_LIMITS.competencies, (item) => cut(item, SHEET_LIMITS.tag)),
      achievements: shorten(
        profile.achievements.map((id) => context.achievementName(id) ?? 'An achievement no longer in the catalog'),
        SHEET_LIMITS.achievements,
        cutText,
      ),
      progress: shorten(
        progressKinds.flatMap((kind) => Object.values(profile.progress[kind]).map((entry) => ({ kind, name: cut(entry.name, 60), status: entry.status }))),
        SHEET_LIMITS.progress,
      ),
      complete: isProfileComplete(profile),
      last_modified_time: profile.last_modified_time,
    },
    can_save_pdf: context.canSavePdf,
  };
}
