import { z } from 'zod';
import { page, queryBool } from './common';
import { achievementTypes } from './achievement';
import { learnerSortFields, sortOrders } from './learner';

/** A missing query is an empty one. */
const query = <S extends z.ZodType>(schema: S) => z.preprocess((value) => value ?? {}, schema);

export const learnerListQuery = query(z.object({
  ...page,
  fetch_archive: queryBool,
  sort_by: z.enum(learnerSortFields).default('created_time'),
  sort_order: z.enum(sortOrders).default('descending'),
}));
export type LearnerListQuery = z.output<typeof learnerListQuery>;

export const profileListQuery = query(
  z.object({ ...page, fetch_archive: queryBool, learning_goal: z.string().optional() }),
);
export type ProfileListQuery = z.output<typeof profileListQuery>;

export const achievementListQuery = query(
  z.object({
    ...page,
    fetch_archive: queryBool,
    name: z.string().optional(),
    achievement_type: z.enum(achievementTypes).optional(),
    tag: z.string().optional(),
  }),
);
export type AchievementListQuery = z.output<typeof achievementListQuery>;

/** The reference answers an empty list when `type` is left out (its default names no type). */
export const achievementSearchQuery = query(z.object({ type: z.enum(achievementTypes).optional() }));

/** Search parameters are checked by the operation itself: its failures have their own messages. */
export const learnerSearchQuery = query(
  z.object({
    first_name: z.string().optional().catch(undefined),
    email_address: z.string().optional().catch(undefined),
  }),
);
export const profileSearchQuery = query(z.object({ learner_id: z.string().optional().catch(undefined) }));
