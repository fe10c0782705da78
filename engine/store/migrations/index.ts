// The ordered list of run-store migrations. Append only: a released migration is
// never edited, because files in the wild already carry its version number.
import type { Migration } from '../migrate.js';
import { runsMigration } from './0001-runs.js';
import { schedulesMigration } from './0002-schedules.js';
import { workQueueMigration } from './0003-work-queue.js';
import { vaultMigration } from './0004-vault.js';
import { folderTriggersMigration } from './0005-folder-triggers.js';
import { auditOutboxMigration } from './0006-audit-outbox.js';
import { reviewTasksMigration } from './0007-review-tasks.js';
import { automationVersionsMigration } from './0008-automation-versions.js';
import { runPackagesMigration } from './0009-run-packages.js';
import { auditRefusalMigration } from './0010-audit-refusal.js';
import { auditReceiptsMigration } from './0011-audit-receipts.js';
import { extractionTemplatesMigration } from './0012-extraction-templates.js';
import { screenshotUploadsMigration } from './0013-screenshot-uploads.js';

export const migrations: readonly Migration[] = [runsMigration, schedulesMigration, workQueueMigration, vaultMigration, folderTriggersMigration, auditOutboxMigration, reviewTasksMigration, automationVersionsMigration, runPackagesMigration, auditRefusalMigration, auditReceiptsMigration, extractionTemplatesMigration, screenshotUploadsMigration];
