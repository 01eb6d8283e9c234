// Failure types of the file activities that no retry can fix. Pure (no imports): the workflow
// sandbox reads these lists for its retry policies.

/** The target itself cannot be written (checked on every diff and write). */
export const FILE_TARGET_ERRORS = [
  'WriteTargetIsFolder',
  'WriteTargetNotAFile',
  'WriteTargetFolderMissing',
  'WriteTargetTooLarge',
] as const;

/** A write or rollback refused for what the files hold now. */
export const FILE_WRITE_ERRORS = [
  'FileChangedSinceReview',
  'FileChangedSinceWrite',
  'NothingToRollBack',
  'SourceChanged',
  'BackupDamaged',
] as const;

export const FILE_NON_RETRYABLE: readonly string[] = [...FILE_TARGET_ERRORS, ...FILE_WRITE_ERRORS];
