// The desktop app's update feed, served from a folder (AUDIT_UPDATES_DIR) that IT fills with
// electron-builder's output: latest*.yml, the installers and their .blockmap files. Any enrolled
// device, admin or auditor may read it; nothing else is reachable (plain file names only).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { authorize } from './auth.js';
import type { SqlClient } from './db.js';
import { badRequest, notFound } from './http.js';

/** What a feed file may be called: electron-builder's artifact names, no folders, no traversal. */
export const UPDATE_FILE_NAME = /^[A-Za-z0-9._-]+$/;

const CONTENT_TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** GET /updates/:file. `updatesDir` undefined: every request answers 404 "no update feed configured". */
export function registerUpdateRoutes(app: FastifyInstance, db: SqlClient, updatesDir: string | undefined): void {
  const root = updatesDir ? path.resolve(updatesDir) : undefined;
  app.get<{ Params: { file: string } }>('/updates/:file', async (request, reply) => {
    await authorize(db, request, ['device', 'admin', 'auditor']);
    if (!root) throw notFound('no update feed configured (set AUDIT_UPDATES_DIR on the audit server)');
    const { file } = request.params;
    // "." and ".." match the character class but name directories, not files.
    if (!UPDATE_FILE_NAME.test(file) || /^\.+$/.test(file)) {
      throw badRequest('invalid_file_name', `"${file}" is not a plain file name (letters, digits, . _ - only)`);
    }
    const full = path.join(root, file);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) throw notFound(`no update file ${file}`);
    return reply.type(contentTypeOf(file)).header('content-length', info.size).header('cache-control', 'no-cache').send(createReadStream(full));
  });
}
