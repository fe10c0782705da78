// The audit protocol shared by the client and the audit server (docs/audit-protocol.md).
// Imports nothing else of ours.
export { canonicalJson } from './canonical-json.js';
export { AUDIT_TIME_HINT, AuditRecordSchema, GENESIS_HASH, hashRecord, hasUnstorableChar, isAuditTime, replaceUnstorable, sealRecord, UNSTORABLE_HINT, unstorableCanonical, type AuditRecord } from './record.js';
export { AuditBatchSchema, generateDeviceKeys, MAX_BATCH, signBatch, verifyBatchSignature, type AuditBatch } from './batch.js';
export { verifyChain, type ChainVerdict } from './verify.js';
export { checkLogEntry, hashLogEntry, LOG_GENESIS_HASH, LogEntryBodySchema, LogEntrySchema, publicKeySha256, ReceiptSchema, recordsDigest, sealLogEntry, type LogEntry, type LogEntryBody, type LogEntryKind, type Receipt } from './receipt.js';
export { MAX_SCREENSHOT_BYTES, notPngReason, pngProblem, screenshotPath } from './screenshot.js';
