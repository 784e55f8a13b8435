// The contract's messages (../spec/api.md), word for word: clients compare these strings.

export const messages = {
  learner: {
    created: 'Successfully created the learner',
    fetched: 'Successfully fetched the learner',
    updated: 'Successfully updated the learner',
    deleted: 'Successfully deleted the learner',
    listed: 'Data fetched successfully',
    searched: 'Successfully fetched the learners',
    notFound: (uuid: string) => `Learner with uuid ${uuid} not found`,
    duplicateEmail: (email: string) => `Learner with the given email address ${email} already exists`,
    sameBackupEmail: 'Primary email address and backup email address cannot be the same.',
    invalidEmail: (email: string) => `Invalid email ID format: ${email}`,
  },
  profile: {
    created: 'Successfully created the learner profile',
    fetched: 'Successfully fetched the learner profile',
    updated: 'Successfully updated the learner profile',
    deleted: 'Successfully deleted the learner profile',
    listed: 'Successfully fetched the learner profile/s',
    searched: 'Successfully fetched the learner profiles',
    archivedLearner: (learnerId: string) =>
      `Learner Profile cannot be created for the Learner id: ${learnerId} which is archived`,
    exists: (learnerId: string) => `Learner Profile with the given learner id: ${learnerId} already exists`,
    notFoundForLearner: (learnerId: string) => `LearnerProfile with learner id ${learnerId} not found`,
  },
  achievement: {
    created: 'Successfully created the achievement',
    fetched: 'Successfully fetched the achievement',
    listed: 'Successfully fetched the achievements',
    notFound: (uuid: string) => `Achievement with uuid ${uuid} not found`,
  },
  missingParameters: 'Missing or invalid request parameters',
  fieldRequired: 'field required',
  extraField: 'extra fields not permitted',
  onlyEmptyObject: 'Only an empty dictionary is allowed.',
  unauthorized: 'Unauthorized',
  notFound: 'Not Found',
  bodyTooLarge: 'Request body too large',
} as const;
