// The studio's workspace: named folders of automation files (the examples and the user's
// own folder by default). An automation is addressed as `<root>/<relative path>`; every
// id is checked to stay inside its folder.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { NotFoundError, RequestInvalidError } from './errors.js';

export interface WorkspaceRoot {
  name: string;
  dir: string;
}

export class Workspace {
  constructor(readonly roots: WorkspaceRoot[]) {
    for (const root of roots) {
      if (!/^[a-z]+$/.test(root.name)) throw new RequestInvalidError(`workspace folder name "${root.name}" must be lower-case letters`);
      mkdirSync(root.dir, { recursive: true });
    }
  }

  /** The folder new automations (recordings) go to: the last root, the user's own. */
  get userRoot(): WorkspaceRoot {
    return this.roots.at(-1)!;
  }

  /** Automation files and packages (.rpapkg) directly inside each folder, as ids, sorted. */
  list(): Array<{ id: string; root: WorkspaceRoot; file: string }> {
    return this.roots.flatMap((root) =>
      readdirSync(root.dir)
        .filter((name) => (name.endsWith('.json') || name.endsWith('.rpapkg')) && !name.startsWith('.') && statSync(path.join(root.dir, name)).isFile())
        .sort()
        .map((name) => ({ id: `${root.name}/${name}`, root, file: path.join(root.dir, name) })),
    );
  }

  /** Absolute path of an automation id; throws when the folder is unknown or the path leaves it. */
  resolve(id: string): { root: WorkspaceRoot; file: string } {
    const slash = id.indexOf('/');
    const root = this.roots.find((r) => r.name === id.slice(0, slash));
    if (!root) throw new NotFoundError(`no workspace folder "${id.slice(0, slash)}"; folders: ${this.roots.map((r) => r.name).join(', ')}`);
    const file = path.resolve(root.dir, id.slice(slash + 1));
    if (path.dirname(file) !== path.resolve(root.dir)) throw new RequestInvalidError(`automation id "${id}" must name a file directly inside ${root.name}/`);
    return { root, file };
  }

  idOf(root: WorkspaceRoot, file: string): string {
    return `${root.name}/${path.basename(file)}`;
  }
}
