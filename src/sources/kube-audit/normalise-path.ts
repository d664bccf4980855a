import { posix } from 'node:path';

/**
 * POSIX normalisation without touching a filesystem: `//etc`, `/var//run/docker.sock`,
 * `/var/run/./docker.sock` and `/etc/` name the paths `/etc` and `/var/run/docker.sock` on a node
 * (no symlink is resolved: the detector never sees the node). Empty and relative paths stay as
 * written, since they name nothing on the host.
 */
export function normalisePath(path: string): string {
  if (!path.startsWith('/')) return path;
  const normalised = posix.normalize(path);
  return normalised.length > 1 && normalised.endsWith('/') ? normalised.slice(0, -1) : normalised;
}
