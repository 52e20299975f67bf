import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldersOwnedBy, volumeFoldersBelongToTheServiceUser } from './dockerfile-rules.js';
import { INFRA, readYaml } from './schemas.js';

const dockerfile = (): string => readFileSync(join(INFRA, 'Dockerfile'), 'utf8');

describe('infra/Dockerfile, for the compose file that runs it', () => {
  it('creates every folder a service mounts a volume on, owned by node', () => {
    expect(volumeFoldersBelongToTheServiceUser(dockerfile(), readYaml('compose.yaml'))).toEqual([]);
  });

  it('creates the audit digest folder before it drops root', () => {
    expect(foldersOwnedBy(dockerfile(), 'node')).toContain('/var/lib/waypoint');
  });

  describe('a broken Dockerfile is refused', () => {
    it('without the folder: the fresh volume would be root’s', () => {
      const without = dockerfile().replace(/^RUN install -d .*\/var\/lib\/waypoint\n/m, '');
      expect(volumeFoldersBelongToTheServiceUser(without, readYaml('compose.yaml'))).toEqual([
        "audit: /var/lib/waypoint is not a folder of the image owned by node (the volume is root's)",
      ]);
    });

    it('with the folder made after USER node, or owned by root', () => {
      const late = dockerfile()
        .replace(/^RUN install -d .*\/var\/lib\/waypoint\n/m, '')
        .replace(/^USER node\n/m, 'USER node\nRUN install -d -o node -g node /var/lib/waypoint\n');
      const rootOwned = dockerfile().replace('-o node -g node', '-o root -g root');
      expect(foldersOwnedBy(late, 'node')).not.toContain('/var/lib/waypoint');
      expect(foldersOwnedBy(rootOwned, 'node')).not.toContain('/var/lib/waypoint');
    });
  });
});
