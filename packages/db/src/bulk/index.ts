export {
  BULK_TABLE_ORDER,
  BULK_TABLES,
  type BulkDeployment,
  type BulkIncident,
  type BulkJiraIssue,
  type BulkJiraIssueTransition,
  type BulkPullRequest,
  type BulkPullRequestCommit,
  type BulkPullRequestReview,
  type BulkRawPayload,
  type BulkRows,
  type BulkTableName,
} from './bulk-tables.ts';
export {
  type BulkBatch,
  type BulkLoad,
  type BulkWriteOptions,
  type BulkWriteResult,
  bulkWrite,
  openBulkLoad,
} from './copy-stage-merge.ts';
export {
  type CopyColumn,
  type CopyColumnType,
  CopyValueError,
  encodeCopyValue,
  type RejectedRow,
} from './copy-text.ts';
