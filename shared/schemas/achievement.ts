import { z } from 'zod';
import { id, time } from './common';

export const achievementTypes = ['course equate', 'competency', 'level'] as const;

/** The catalog is authored on the central server and replicated read-only to the desktop. */
export const storedAchievement = z.strictObject({
  uuid: id,
  type: z.enum(achievementTypes),
  name: z.string().min(1),
  description: z.string().optional(),
  is_deleted: z.boolean(),
  created_time: time,
  last_modified_time: time,
});
export type StoredAchievement = z.infer<typeof storedAchievement>;
export type Achievement = Omit<StoredAchievement, 'is_deleted'>;

export const achievementCreate = z.object({
  type: z.enum(achievementTypes),
  name: z.string().min(1),
  description: z.string().nullish().transform((value) => value ?? undefined),
});
