import { ConfigError } from "./errors";
import { ECR_NAME_RE, IMAGE_TAG_RE, parseCidr, cidrsOverlap } from "./parsers";
import { KEYS, KeyName, KeysOf, Platform, RawValues, appliesTo } from "./schema";
import { ACCESS_LOG_TOTAL_MAX_MB } from "../../logsink/src/settings";
import { DRAINING_NODE_SEEN_DOWN_MS } from "../render/haproxyConfig";

/** Every key's validated value, before the config is narrowed to its platform's keys. */
type Values = Omit<RawValues, "nodeImageTags"> & {
    /** node name (node-N) -> tag, for nodes that do not run `imageTag`. */
    nodeImageTags: Record<string, string>;
};

/**
 * The validated config of a stack on platform P: its platform's keys (schema.ts, `platforms`) and no other, so
 * code given a LocalConfig cannot read an aws key (a compile error), and the other way round.
 */
export type ConfigOf<P extends Platform> = { platform: P } & { [K in Exclude<KeysOf<P>, "platform">]: Values[K] };
export type LocalConfig = ConfigOf<"local">;
export type AwsConfig = ConfigOf<"aws">;
/** The validated configuration of one stack: `platform` says which of the two it is. */
export type CloudlabConfig = LocalConfig | AwsConfig;
/** The keys both platforms have: what a component's shared arguments (components/shared/<concept>.ts) may take. */
export type CommonConfig = { [K in Exclude<KeysOf<"local"> & KeysOf<"aws">, "platform">]: Values[K] };

/** The shortest drain on the local stack: whole seconds, more than HAProxy takes to see a draining node down. */
export const MIN_LOCAL_DRAIN_SECONDS = Math.floor(DRAINING_NODE_SEEN_DOWN_MS / 1000) + 1;

/** The SMTP settings of stack config, for everything that mails (Alertmanager, the access-log report). */
export interface SmtpConfig {
    /** The server; empty: no mail. */
    smtpHost: LocalConfig["smtpHost"];
    smtpPort: LocalConfig["smtpPort"];
    /** `starttls`: refuse a server without STARTTLS; `none`: plain SMTP. */
    smtpTls: LocalConfig["smtpTls"];
    /** Login and password; empty: no authentication. */
    smtpUser: LocalConfig["smtpUser"];
    smtpPassword: LocalConfig["smtpPassword"];
    /** Sender address of the mails. */
    smtpFrom: LocalConfig["smtpFrom"];
}

/** The SMTP settings out of a config that has more (a stack hands a component these, not the whole config). */
export function smtpConfigOf(config: SmtpConfig): SmtpConfig {
    return {
        smtpHost: config.smtpHost,
        smtpPort: config.smtpPort,
        smtpTls: config.smtpTls,
        smtpUser: config.smtpUser,
        smtpPassword: config.smtpPassword,
        smtpFrom: config.smtpFrom,
    };
}

/**
 * The controller's cooldown and warm-up in seconds: cooldownSeconds, or the alarm window (checkPeriod x
 * evaluationPeriods) when it is 0, so load that persists adds one node per window on both stacks.
 */
export function cooldownSecondsOf(
    cfg: Pick<RawValues, "cooldownSeconds" | "checkPeriod" | "evaluationPeriods">,
): number {
    return cfg.cooldownSeconds > 0 ? cfg.cooldownSeconds : cfg.checkPeriod * cfg.evaluationPeriods;
}

/** Raw config as Pulumi hands it over: key -> string, or undefined when not set. */
export type RawConfig = Partial<Record<string, string | undefined>>;

/**
 * loadCidrs bound: each CIDR is one listener rule (a rule takes at most five condition values, ELB's "Listener
 * rules for your Application Load Balancer"), and a listener holds 100 rules; 20 leaves room to spare.
 */
export const MAX_LOAD_CIDRS = 20;

const DOCKER_DEFAULT_BRIDGE = parseCidr("172.17.0.0/16")!;

/** Default of a key, as the raw string the CLI would pass when the stack does not set it. */
export function defaultRaw(name: KeyName): string | undefined {
    const d = KEYS[name].default;
    if (d === undefined) return undefined;
    return Array.isArray(d) ? JSON.stringify(d) : String(d);
}

/**
 * Checks every key (and the rules between keys) and returns the typed config, or throws one ConfigError that
 * names each bad key, its value and what is allowed. Nothing is declared before this passes.
 */
export function validateConfig(raw: RawConfig & { platform: "aws" }): AwsConfig;
export function validateConfig(raw: RawConfig & { platform?: "local" }): LocalConfig;
export function validateConfig(raw: RawConfig): CloudlabConfig;
export function validateConfig(raw: RawConfig): CloudlabConfig {
    const problems: string[] = [];
    const values: Partial<Record<KeyName, unknown>> = {};
    const names = Object.keys(KEYS) as KeyName[];

    const unknown = Object.keys(raw).filter((k) => raw[k] !== undefined && !(k in KEYS));
    for (const k of unknown) {
        problems.push(`cloudlab:${k} is not a cloudlab setting (known: ${names.join(", ")})`);
    }

    for (const name of names) {
        const given = raw[name];
        const text = given ?? defaultRaw(name) ?? "";
        const result = KEYS[name].parse(text);
        if (result.ok) values[name] = result.value;
        else problems.push(`cloudlab:${name} = ${JSON.stringify(text)} is not allowed: expected ${result.allowed}`);
    }
    if (problems.length > 0) throw new ConfigError(problems);

    const cfg = values as unknown as RawValues;
    const platform: Platform = cfg.platform;

    for (const name of names) {
        const spec = KEYS[name];
        const given = raw[name];
        if (given !== undefined && !appliesTo(name, platform) && given !== defaultRaw(name)) {
            problems.push(
                `cloudlab:${name} = ${JSON.stringify(given)} only applies to the ${spec.platforms.join("/")} platform; ` +
                    `this stack is ${platform}: remove it with \`pulumi config rm ${name}\``,
            );
        }
    }

    if (cfg.nodeCount > cfg.nodeLimit) {
        problems.push(
            `cloudlab:nodeCount = ${cfg.nodeCount} is not allowed: expected at most nodeLimit (${cfg.nodeLimit})`,
        );
    }
    if (cfg.cpuLowPercent >= cfg.cpuHighPercent) {
        problems.push(
            `cloudlab:cpuLowPercent = ${cfg.cpuLowPercent} is not allowed: expected less than cpuHighPercent (${cfg.cpuHighPercent})`,
        );
    }
    if (cfg.rollingBatchSize > cfg.nodeLimit) {
        problems.push(
            `cloudlab:rollingBatchSize = ${cfg.rollingBatchSize} is not allowed: expected at most nodeLimit (${cfg.nodeLimit})`,
        );
    }

    const nodeImageTags = parseNodeImageTags(cfg.nodeImageTags, cfg.nodeLimit, problems);
    if (platform === "local") checkLocal(cfg, problems);
    else checkAws(cfg, problems);

    if (problems.length > 0) throw new ConfigError(problems);
    return narrowed({ ...cfg, nodeImageTags });
}

/** The config of a stack that must be on `platform` (a tool for one platform); throws when it is not. */
export function onPlatform<P extends Platform>(config: CloudlabConfig, platform: P): ConfigOf<P> {
    if (config.platform !== platform)
        throw new Error(`cloudlab:platform = ${JSON.stringify(config.platform)}: expected a ${platform} stack here`);
    return config as unknown as ConfigOf<P>;
}

/** The config with only its platform's keys, so what a stack holds at run time is what its type says. */
function narrowed(values: Values): CloudlabConfig {
    const own = (Object.keys(KEYS) as KeyName[]).filter((name) => appliesTo(name, values.platform));
    return Object.fromEntries(own.map((name) => [name, values[name]])) as CloudlabConfig;
}

function parseNodeImageTags(text: string, nodeLimit: number, problems: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const m = /^(node-(\d+))=(.*)$/.exec(pair);
        const bad = (why: string) =>
            problems.push(`cloudlab:nodeImageTags entry ${JSON.stringify(pair)} is not allowed: ${why}`);
        if (!m) {
            bad("expected node-N=tag, e.g. node-2=develop");
            continue;
        }
        const index = Number(m[2]);
        if (index < 1 || index > nodeLimit) bad(`expected a node from node-1 to node-${nodeLimit} (nodeLimit)`);
        else if (!IMAGE_TAG_RE.test(m[3])) bad("the tag must be a Docker tag (letters, digits, '_', '.', '-')");
        else if (m[1] in out) bad(`${m[1]} is given twice`);
        else out[m[1]] = m[3];
    }
    return out;
}

function checkLocal(cfg: RawValues, problems: string[]): void {
    const logMb = cfg.accessLogFiles * cfg.accessLogMaxMb;
    if (logMb > ACCESS_LOG_TOTAL_MAX_MB)
        problems.push(
            `cloudlab:accessLogMaxMb = ${cfg.accessLogMaxMb} is not allowed with accessLogFiles = ${cfg.accessLogFiles}: ` +
                `${logMb} MB of access log, expected at most ${ACCESS_LOG_TOTAL_MAX_MB} MB (a report reads it all into memory)`,
        );
    if (cfg.drainSeconds < MIN_LOCAL_DRAIN_SECONDS)
        problems.push(
            `cloudlab:drainSeconds = ${cfg.drainSeconds} is not allowed on the local stack: HAProxy takes up to ` +
                `${DRAINING_NODE_SEEN_DOWN_MS / 1000} s to see a draining node down, and a node that stops sooner takes ` +
                `requests with it; expected at least ${MIN_LOCAL_DRAIN_SECONDS}`,
        );
    const ports: Array<[string, number]> = [
        ["lbPort", cfg.lbPort],
        ["lbStatsPort", cfg.lbStatsPort],
        ["controllerPort", cfg.controllerPort],
        ["prometheusPort", cfg.prometheusPort],
        ["alertmanagerPort", cfg.alertmanagerPort],
    ];
    if (cfg.grafanaImage !== "") ports.push(["grafanaPort", cfg.grafanaPort]);
    if (cfg.cadvisorImage !== "") ports.push(["cadvisorPort", cfg.cadvisorPort]);
    const lastNodePort = cfg.nodePortBase + cfg.nodeLimit - 1;
    if (lastNodePort > 65535) {
        problems.push(
            `cloudlab:nodePortBase = ${cfg.nodePortBase} is not allowed: node-${cfg.nodeLimit} would need port ${lastNodePort} (> 65535)`,
        );
    }
    for (let i = 1; i <= cfg.nodeLimit; i++)
        ports.push([`node-${i} (nodePortBase + ${i - 1})`, cfg.nodePortBase + i - 1]);
    const seen = new Map<number, string>();
    for (const [who, port] of ports) {
        const other = seen.get(port);
        if (other)
            problems.push(`port ${port} is used twice on 127.0.0.1: by ${other} and by ${who}; choose distinct ports`);
        else seen.set(port, who);
    }

    checkSmtp(cfg, problems);

    const subnet = cfg.subnet;
    const needed = 10 + cfg.nodeLimit + 1; // .10 is the balancer, node-N is .(10+N), the last address is broadcast
    if (subnet.size < needed + 1) {
        problems.push(
            `cloudlab:subnet = "${subnet.text}" is not allowed: it has ${subnet.size} addresses, ` +
                `the balancer and ${cfg.nodeLimit} nodes need at least ${needed + 1} (use /27 or larger)`,
        );
    }
    if (cidrsOverlap(subnet, DOCKER_DEFAULT_BRIDGE)) {
        problems.push(
            `cloudlab:subnet = "${subnet.text}" is not allowed: it overlaps Docker's default bridge 172.17.0.0/16`,
        );
    }
}

/** Mail settings that would fail at the first alert, refused now instead. */
function checkSmtp(cfg: RawValues, problems: string[]): void {
    if (cfg.smtpHost !== "" && cfg.alertEmail === "") {
        problems.push(
            `cloudlab:smtpHost = ${JSON.stringify(cfg.smtpHost)} needs cloudlab:alertEmail: nobody would receive the mail`,
        );
    }
    if (cfg.smtpHost === "" && (cfg.smtpUser !== "" || cfg.smtpPassword !== "")) {
        problems.push("cloudlab:smtpUser/smtpPassword are set but cloudlab:smtpHost is empty: give the SMTP server");
    }
    if (cfg.smtpPassword !== "" && cfg.smtpUser === "") {
        problems.push("cloudlab:smtpPassword is set but cloudlab:smtpUser is empty: give the login it belongs to");
    }
    if (cfg.smtpUser !== "" && cfg.smtpTls === "none" && cfg.smtpPort !== 465) {
        problems.push(
            `cloudlab:smtpTls = "none" is not allowed with smtpUser ${JSON.stringify(cfg.smtpUser)}: the password would cross ` +
                `the network in clear (Alertmanager refuses it too); use starttls or port 465`,
        );
    }
}

function checkAws(cfg: RawValues, problems: string[]): void {
    // CloudWatch alarm periods are 10, 20, 30 or a multiple of 60 s, and the CPU alarms read EC2's
    // CPUUtilization, published once a minute at best (detailed monitoring): a shorter period only sees gaps.
    const p = cfg.checkPeriod;
    if (p % 60 !== 0) {
        problems.push(
            `cloudlab:checkPeriod = ${p} is not allowed on aws: CloudWatch alarm periods are 10, 20, 30 or a multiple of 60 seconds, ` +
                `and EC2 publishes CPU once a minute at best, so use a multiple of 60`,
        );
    }
    if (p * cfg.evaluationPeriods > ONE_DAY_SECONDS) {
        problems.push(
            `cloudlab:evaluationPeriods = ${cfg.evaluationPeriods} is not allowed on aws with checkPeriod ${p}: ` +
                `a CloudWatch alarm looks at most one day back (evaluationPeriods x checkPeriod <= ${ONE_DAY_SECONDS})`,
        );
    }
    if (!ECR_NAME_RE.test(cfg.appImage) || cfg.appImage.length > 256 || looksLikeRegistryHost(cfg.appImage)) {
        problems.push(
            `cloudlab:appImage = ${JSON.stringify(cfg.appImage)} is not allowed on aws: expected the name of the stack's ECR repository ` +
                `(lowercase, e.g. cloudlab-app or team/app), without a registry host: the registry is the account's ECR`,
        );
    }
    if (!LOG_RETENTION_DAYS.includes(cfg.logRetentionDays)) {
        problems.push(
            `cloudlab:logRetentionDays = ${cfg.logRetentionDays} is not allowed: CloudWatch Logs keeps logs for ` +
                `${LOG_RETENTION_DAYS.join(", ")} days`,
        );
    }
    if (looksLikeRegistryHost(cfg.ecrRepository)) {
        problems.push(
            `cloudlab:ecrRepository = ${JSON.stringify(cfg.ecrRepository)} is not allowed: give the repository's name ` +
                `(e.g. team/app) without a registry host: the registry is the account's ECR`,
        );
    }
    if (cfg.allowedCidrs.length === 0) {
        problems.push(
            "cloudlab:allowedCidrs = [] is not allowed on aws: nobody could reach the balancer; give at least one CIDR",
        );
    }
    if (cfg.loadCidrs.length > MAX_LOAD_CIDRS) {
        problems.push(
            `cloudlab:loadCidrs = ${JSON.stringify(cfg.loadCidrs.map((c) => c.text))} is not allowed: at most ` +
                `${MAX_LOAD_CIDRS} CIDRs (one listener rule each)`,
        );
    }
    const duplicates = cfg.subnetIds.filter((id, i) => cfg.subnetIds.indexOf(id) !== i);
    if (duplicates.length > 0) {
        problems.push(
            `cloudlab:subnetIds = ${JSON.stringify(cfg.subnetIds)} is not allowed: ${duplicates[0]} is given twice`,
        );
    }
    if (cfg.subnetIds.length === 1) {
        problems.push(
            `cloudlab:subnetIds = ${JSON.stringify(cfg.subnetIds)} is not allowed: an Application Load Balancer needs subnets in at least two zones`,
        );
    }
    if (cfg.vpcId !== "" && cfg.subnetIds.length === 0) {
        problems.push(
            `cloudlab:vpcId = ${JSON.stringify(cfg.vpcId)} needs cloudlab:subnetIds: the stack does not guess which of its ` +
                `subnets to use (an ALB takes one subnet per zone and must be in public ones); give one public subnet per zone, in at least two zones`,
        );
    }
    if (cfg.subnetIds.length > 0 && cfg.vpcId === "") {
        problems.push("cloudlab:subnetIds is set but cloudlab:vpcId is empty: give the VPC the subnets belong to");
    }
}

const ONE_DAY_SECONDS = 86400;
/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Docker's rule: a first path component with a '.' or ':' (or localhost) is a registry host, not a name. */
function looksLikeRegistryHost(repository: string): boolean {
    const parts = repository.split("/");
    return parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost");
}
