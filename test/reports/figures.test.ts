// The figures' rules on made-up facts, where the local database cannot take them yet: learners of several centers
// (the `center_id` learners are about to carry), more distinct goals than the dashboard shows, and the definitions
// of a complete profile, the study-time bins and the progress stages at their edges.
import { describe, expect, it } from 'vitest';
import { isProfileComplete, progressStageOf, studyBinOf, type DashboardQuery } from '../../shared/dashboard';
import { profileDefaults, type StoredProfile } from '../../shared/schemas/profile';
import type { StoredLearner } from '../../shared/schemas/learner';
import { Dictionary, learnerFactsOf, profileFactsOf, type LearnerFacts, type ProfileFacts } from '../../electron/reports/facts';
import { computeFigures, learnerMatcher } from '../../electron/reports/figures';

const TIME = '2031-06-15 12:00:00.000000+00:00';
const context = { nowMillis: Date.UTC(2031, 5, 15, 12), computedTime: TIME, centerName: (id: string) => (id === 'north' ? 'North Center' : null) };
const query = (extra: Partial<DashboardQuery> = {}): DashboardQuery => ({ status: 'active', ...extra });

function learner(uuid: string, center?: string): StoredLearner {
  const doc = { uuid, first_name: 'A', last_name: 'B', email_address: `${uuid}@example.org`, is_archived: false, is_deleted: false, sync: { times: {}, by: {} }, created_time: TIME, last_modified_time: TIME };
  return (center === undefined ? doc : { ...doc, center_id: center }) as StoredLearner;
}
const profile = (learnerId: string, fields: Partial<StoredProfile>): StoredProfile =>
  ({ ...profileDefaults(), uuid: `p${learnerId}`, learner_id: learnerId, is_archived: false, is_deleted: false, sync: { times: {}, by: {} }, created_time: TIME, last_modified_time: TIME, ...fields }) as StoredProfile;

function source(learners: StoredLearner[], profiles: StoredProfile[]) {
  const dictionaries = { goals: new Dictionary(), careers: new Dictionary() };
  const byLearner = new Map<string, ProfileFacts>(profiles.map((p) => [p.learner_id, profileFactsOf(p, dictionaries)]));
  const entries = learners.map((l): { learner: LearnerFacts; profile: ProfileFacts | undefined } => ({ learner: learnerFactsOf(l), profile: byLearner.get(l.uuid) }));
  return { entries: () => entries, dictionaries };
}

describe('figures over made-up facts', () => {
  it('lists the centers and counts one center when asked', () => {
    const facts = source(
      [learner('n1', 'north'), learner('n2', 'north'), learner('s1', 'south'), learner('x1')],
      [profile('n1', { learning_goals: ['Teamwork'] }), profile('s1', { learning_goals: ['Teamwork', 'Reading'] })],
    );
    const all = computeFigures(facts, query(), context);
    expect(all.centers).toEqual([{ id: 'north', name: 'North Center', learners: 2 }, { id: 'south', name: null, learners: 1 }]);
    expect(all.totals.active).toBe(4);
    const north = computeFigures(facts, query({ center: 'north' }), context);
    expect(north.totals.active).toBe(2);
    expect(north.goals.top).toEqual([{ key: 'Teamwork', count: 1 }]);
    // The center list does not shrink with the filter: the screens still offer the other centers.
    expect(north.centers).toHaveLength(2);
    const matches = learnerMatcher({ center: 'south' }, facts.dictionaries)!;
    expect(facts.entries().filter((e) => matches(e.learner, e.profile)).map((e) => e.learner.uuid)).toEqual(['s1']);
  });

  it('shows the ten most frequent goals and sums up the rest', () => {
    const goals = Array.from({ length: 13 }, (_, i) => `Goal ${String(i).padStart(2, '0')}`);
    // Goal 00 is everyone's; goals 01..12 one learner each; learner L12 also lists Goal 00 twice.
    const learners = goals.map((_, i) => learner(`L${i}`));
    const profiles = goals.map((goal, i) => profile(`L${i}`, { learning_goals: i === 12 ? [goals[0]!, goal, goals[0]!] : [goals[0]!, goal] }));
    const f = computeFigures(source(learners, profiles), query(), context);
    expect(f.goals.top[0]).toEqual({ key: 'Goal 00', count: 13 });
    expect(f.goals.top.map((g) => g.key)).toEqual(goals.slice(0, 10));
    expect(f.goals.other_values).toBe(3);
    expect(f.goals.other_learners).toBe(3);
  });

  it('leaves deleted learners and deleted profiles out', () => {
    const gone = { ...learner('g'), is_deleted: true };
    const f = computeFigures(source([gone, learner('k')], [profile('k', { is_deleted: true })]), query(), context);
    expect(f.totals.active).toBe(1);
    expect(f.with_profile).toBe(0);
    expect(f.profiles.find((p) => p.key === 'missing')!.count).toBe(1);
  });
});

describe('the definitions', () => {
  it('calls a profile complete only with goals, hours above 0, an employment status and a career field', () => {
    const full = { learning_goals: ['x'], learning_constraints: { weekly_study_time: 1 }, employment_status: 'Unemployed', potential_career_fields: ['Legal'] };
    expect(isProfileComplete(full)).toBe(true);
    expect(isProfileComplete({ ...full, learning_goals: [] })).toBe(false);
    expect(isProfileComplete({ ...full, learning_constraints: { weekly_study_time: 0 } })).toBe(false);
    expect(isProfileComplete({ ...full, learning_constraints: null })).toBe(false);
    expect(isProfileComplete({ ...full, employment_status: '' })).toBe(false);
    expect(isProfileComplete({ ...full, potential_career_fields: [] })).toBe(false);
  });

  it('bins weekly study time at the edges', () => {
    expect([0, 1, 5, 6, 10, 11, 15, 16, 20, 21, 25, 26, 30].map(studyBinOf)).toEqual(['0', '1-5', '1-5', '6-10', '6-10', '11-15', '11-15', '16-20', '16-20', '21-25', '21-25', '26-30', '26-30']);
    expect(studyBinOf(null)).toBe('not_given');
  });

  it('tells how far along a learner is from every progress entry', () => {
    const of = (...statuses: string[]) =>
      progressStageOf({ assessments: Object.fromEntries(statuses.map((status, i) => [`e${i}`, { name: 'x', status }])) } as never);
    expect(progressStageOf(undefined)).toBe('none');
    expect(of()).toBe('none');
    expect(of('not_attempted', 'not_attempted')).toBe('not_started');
    expect(of('completed', 'evaluated', 'non_evaluated', 'skipped')).toBe('completed');
    expect(of('completed', 'not_attempted')).toBe('in_progress');
    expect(of('completed', 'evaluation_pending')).toBe('in_progress');
    expect(of('in_progress')).toBe('in_progress');
  });
});
