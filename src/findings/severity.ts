import type { RuleLevel } from '../sigma/rule.js';
import { normalisePath } from '../sources/kube-audit/normalise-path.js';
import type { WorkloadFacts } from '../sources/source-record.js';

const LEVELS: readonly RuleLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** Host paths whose mount gives a container the node: its root, config, runtime sockets, kubelet state. */
const SENSITIVE_HOST_PATHS = [
  '/',
  '/etc',
  '/root',
  '/proc',
  '/sys',
  '/var/lib/kubelet',
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
];

/**
 * Fragments of command lines that open shells, fetch payloads or hide them. Where a fragment has a
 * space, any run of whitespace matches (`chmod\t+x`, `bash  -i` are the same command to a shell).
 */
const SHELL_MARKERS: readonly RegExp[] = [
  /sh\s+-c/i,
  /bash/i,
  /\/dev\/(tcp|udp)/i,
  /sh\s+-i/i,
  /nc\s/i,
  /ncat/i,
  /netcat/i,
  /socat/i,
  /mkfifo/i,
  /curl\s/i,
  /wget\s/i,
  /chmod\s+(-\S+\s+)*([ugoa]*[+=][rwst]*x|[0-7]*[1357][0-7]{0,2}(\s|$))/i,
  /base64\s+--?d/i,
  /nsenter/i,
  /python[\d.]*\s+-c/i,
  /perl\s+-e/i,
];

export interface SeverityScore {
  readonly severity: RuleLevel;
  readonly reasons: readonly string[];
}

/**
 * Severity starts at the rule's level and rises one step (up to critical) for each of: a workload
 * that can take over its node and runs a shell-like command; a privileged container with a host
 * path; a body that exceeded a bound and was not read in full; a write into kube-system.
 */
export function scoreSeverity(
  level: RuleLevel,
  facts: WorkloadFacts | undefined,
  namespace: string | undefined,
): SeverityScore {
  const reasons: string[] = [];
  if (facts !== undefined) {
    const sensitiveMount = facts.hostPaths.some(isSensitiveHostPath);
    const canEscape = facts.privileged || facts.hostPID || sensitiveMount;
    const shell = facts.commands.some((c) => SHELL_MARKERS.some((m) => m.test(c)));
    if (canEscape && shell)
      reasons.push(
        'node-escape primitive (privileged, hostPID or a sensitive hostPath) with a shell-like command',
      );
    if (facts.privileged && facts.hostPaths.length > 0)
      reasons.push('privileged container with a hostPath volume');
    // What was not read may hold anything: a body built to exceed a bound is itself suspect.
    if (facts.truncated.length > 0) reasons.push(`body not read in full: ${facts.truncated.join('; ')}`);
  }
  if (namespace === 'kube-system') reasons.push('written into kube-system');
  const index = Math.min(LEVELS.indexOf(level) + reasons.length, LEVELS.length - 1);
  return { severity: LEVELS[index] as RuleLevel, reasons };
}

function isSensitiveHostPath(path: string): boolean {
  return SENSITIVE_HOST_PATHS.includes(normalisePath(path));
}
