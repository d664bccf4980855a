import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { runLint } from './lint-command.js';
import { runFields } from './fields-command.js';
import { packageInfo } from '../package-info.js';
import { runResendDeadLetters } from './deadletter-resend-command.js';
import { runScan, type ScanOptions } from './scan-command.js';
import { runHunt, type HuntOptions } from './hunt-command.js';
import { runSend, type SendOptions } from './send-command.js';
import { runListen, type ListenOptions } from './listen-command.js';
import { join } from 'node:path';
import { errorText } from '../util/error-text.js';

/** Builds the CLI; `run` resolves to the exit code so tests can drive it in-process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const info = packageInfo();
  const program = new Command('kube-job-detector')
    .description(
      'Detects Kubernetes CronJob/Job persistence (MITRE ATT&CK T1053.007) in Azure Activity Logs and AKS audit logs with Sigma rules.',
    )
    .version(info.version)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  addDetectionOptions(program.command('scan'))
    .description(
      'scan Event Hub bodies, blob exports (PT1H.json), Capture Avro files, Log Analytics exports (JSON, CSV), az activity-log output, apiserver audit files or directories; "-" reads stdin',
    )
    .argument('<paths...>', 'files, directories or - for stdin')
    .option(
      '--cluster-id <id>',
      'the cluster raw apiserver audit files (audit.log, EventList) come from: its ARM resource id or its name',
    )
    .action(async (paths: string[], options: ScanOptions) => {
      const rules = options.rules.length === 0 ? [info.bundledRulesDir] : options.rules;
      setExitCode(await runScan(paths, { ...options, rules }, io));
    });

  addDetectionOptions(program.command('hunt'))
    .description(
      'query a Log Analytics workspace for the last N days (AzureActivity, AKSAuditAdmin, AKSAudit, AzureDiagnostics) and run the rows through the detector: were we already hit?',
    )
    .requiredOption(
      '--workspace <id>',
      'the workspace id (GUID); DefaultAzureCredential needs Log Analytics Reader on it',
    )
    .option('--days <n>', 'how far back to look, up to the workspace retention', (v: string) => Number(v), 30)
    .option(
      '--table <name>',
      'a table to query; repeat for more (default: all four)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--max-rows <n>',
      'rows one query may return before its time window is split',
      (v: string) => Number(v),
      10_000,
    )
    .option('--slice-hours <n>', 'length of the first time windows', (v: string) => Number(v), 24)
    .option(
      '--no-narrow',
      'query every row of the tables, not only those naming jobs or cronjobs (for rules of your own)',
    )
    .option('--endpoint <url>', 'the query API root (default https://api.loganalytics.io/v1)')
    .action(async (options: HuntOptions & { table: string[] }) => {
      const rules = options.rules.length === 0 ? [info.bundledRulesDir] : options.rules;
      setExitCode(await runHunt({ ...options, tables: options.table, rules }, io));
    });

  const rules = program.command('rules').description('work with Sigma rules');
  rules
    .command('lint')
    .description('compile rules and report each file as active, inactive (other log source) or error')
    .argument('[dirs...]', 'rule files or directories', [info.bundledRulesDir])
    .action(async (dirs: string[]) => setExitCode(await runLint(dirs, io)));
  rules
    .command('fields')
    .description('print the fields rules can name, per log source, as a Markdown table')
    .argument('[source]', 'a log source: AzureActivity (Activity Log) or KubeAudit (kube-audit); default all')
    .action((source: string | undefined) => setExitCode(runFields(source, io)));

  program
    .command('send')
    .alias('replay')
    .description(
      'send Event Hub bodies (default: the bundled attack samples) to a hub, to check a deployment end to end',
    )
    .argument('[paths...]', 'files or directories of bodies (default: the bundled samples)')
    .requiredOption('--hub <name>', 'event hub name')
    .option(
      '--namespace <fqdn>',
      'Event Hubs namespace, e.g. contoso.servicebus.windows.net (signs in with DefaultAzureCredential)',
    )
    .option(
      '--connection-string <connection string>',
      'instead of --namespace: a connection string with Send rights',
    )
    .option('--rewrite-time', 'restamp records with the current time so the workbook shows them now')
    .action(async (paths: string[], options: SendOptions) =>
      setExitCode(
        await runSend(
          // The Event Hub bodies only: samples/shapes holds table exports and raw files, which no hub carries.
          paths.length === 0
            ? ['activity-log', 'kube-audit'].map((d) => join(info.root, 'samples', d))
            : paths,
          options,
          io,
        ),
      ),
    );

  program
    .command('listen')
    .description(
      'run the detector as a long-running Event Hubs consumer (outside Azure Functions), with checkpoints in blob storage',
    )
    .requiredOption('--hub <name>', 'event hub name')
    .option('--namespace <fqdn>', 'Event Hubs namespace (DefaultAzureCredential)')
    .option(
      '--connection-string <connection string>',
      'instead of --namespace: a connection string with Listen rights',
    )
    .option('--consumer-group <name>', 'consumer group', '$Default')
    .option(
      '--checkpoint-account <url>',
      'blob container URL for checkpoints and partition ownership (DefaultAzureCredential)',
    )
    .option(
      '--checkpoint-connection-string <connection string>',
      'instead of --checkpoint-account: a storage connection string',
    )
    .option(
      '--checkpoint-container <name>',
      'with --checkpoint-connection-string: the container',
      'kube-job-detector-checkpoints',
    )
    .option(
      '--rules <path>',
      'a rule file or directory; repeat for more (default: the bundled rules)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--health-interval <seconds>', 'seconds between health lines', (v: string) => Number(v), 60)
    .option(
      '--balance-interval <seconds>',
      'seconds between partition load-balancing rounds',
      (v: string) => Number(v),
      5,
    )
    .option(
      '--dead-letter-container <url>',
      'blob container for rows that cannot be uploaded (default: DEADLETTER_CONTAINER_URL, else --dead-letter-dir)',
    )
    .option('--dead-letter-dir <dir>', 'local directory for rows that cannot be uploaded')
    .action(async (options: ListenOptions) => {
      const rules = options.rules.length === 0 ? [info.bundledRulesDir] : options.rules;
      setExitCode(await runListen({ ...options, rules }, io));
    });

  const deadletter = program.command('deadletter').description('dead-lettered findings');
  deadletter
    .command('resend')
    .alias('replay')
    .description('upload dead-lettered findings again; each entry is deleted only after its upload succeeded')
    .option('--container <url>', 'blob container (default: DEADLETTER_CONTAINER_URL)')
    .option('--dir <dir>', 'local directory written by "scan --upload"')
    .action(async (options: { container?: string; dir?: string }) =>
      setExitCode(await runResendDeadLetters(options, io)),
    );

  return program;
}

/** Options `scan` and `hunt` share: what to print, which rules, and the Azure stages. */
function addDetectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'jsonl']).default('table'))
    .option(
      '--rules <path>',
      'a rule file or directory; repeat for more (default: the bundled rules)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('-o, --output <file>', 'write findings to a file instead of stdout')
    .option('-q, --quiet', 'do not print the summary on stderr')
    .option('--report <file>', 'also write a self-contained HTML report (opens offline in a browser)')
    .option('--show-suppressed', 'also list findings that exceptions suppressed (in jsonl mode, on stderr)')
    .option(
      '--enrich',
      'add cluster metadata from ARM (DefaultAzureCredential; ARM_ENDPOINT, ENRICHMENT_* settings)',
    )
    .option(
      '--upload',
      'upload findings to the data collection rule (LOGS_INGESTION_* settings); failures are dead-lettered',
    )
    .option(
      '--dead-letter-container <url>',
      'with --upload: blob container for failed rows (default: DEADLETTER_CONTAINER_URL, else --dead-letter-dir)',
    )
    .option('--dead-letter-dir <dir>', 'with --upload: local directory for failed rows', undefined)
    .option(
      '--no-redact',
      'keep secrets in findings (container env values, tokens, keys, passwords); default: redacted (REDACTION setting)',
    );
}

/** Runs one CLI invocation and resolves to its exit code; tests call it in-process. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.stderr.write(`kube-job-detector: ${errorText(error)}\n`);
    return EXIT.failure;
  }
  return code;
}
