#include "cli/cliapp.h"
#include "cli/commands.h"

// The holdpointctl command set (DESIGN §8): words, syntax, options and help.
namespace hp::cli {

namespace {

OptionSpec opt(const char *name, const char *valueName, const char *help, bool repeatable = false)
{
    return OptionSpec{QString::fromLatin1(name), QString::fromLatin1(valueName), repeatable,
                      QString::fromUtf8(help)};
}

OptionSpec flag(const char *name, const char *help)
{
    return OptionSpec{QString::fromLatin1(name), QString(), false, QString::fromUtf8(help)};
}

CommandDef def(QStringList words, const char *synopsis, const char *summary, const char *details,
               std::vector<OptionSpec> options, int minArgs, int maxArgs, int (*run)(Context &))
{
    return CommandDef{std::move(words),
                      QString::fromUtf8(synopsis),
                      QString::fromUtf8(summary),
                      QString::fromUtf8(details),
                      std::move(options),
                      minArgs,
                      maxArgs,
                      run};
}

std::vector<OptionSpec> submitOptions()
{
    return {
        opt("file", "F", "a proposal file (JSON, DESIGN §3); '-' reads stdin"),
        opt("terraform-plan", "F", "a `terraform show -json` plan", true),
        opt("terraform-planfile", "F", "the binary plan the executor applies", true),
        opt("patch", "F", "a git patch, `diff -u` or `kubectl diff` output", true),
        opt("file-pair", "PATH:BEFORE:AFTER",
            "a file's new content; BEFORE empty: new file, AFTER empty: deleted", true),
        opt("manifest", "F", "multi-document Kubernetes YAML", true),
        opt("command-file", "F", "shell lines the agent will run", true),
        opt("title", "T", "one line saying what the change does"),
        opt("agent", "NAME", "the agent's name (the principal is always your OS login)"),
        opt("agent-version", "V", "the agent's version"),
        opt("run-id", "ID", "the agent's run id"),
        opt("operator", "LOGIN", "the accountable operator; must match the agent's registration"),
        opt("environment", "E", "where it applies, e.g. production"),
        opt("target", "T", "account, region, cluster or namespace"),
        opt("intent", "TEXT", "the agent's task and rationale"),
        opt("declared-impact", "low|medium|high|critical", "the impact the agent expects"),
        opt("idempotency-key", "K",
            "a retry with the same key and content returns the first submission"),
        opt("revise", "ID", "add a revision to change ID"),
        opt("kind", "infra|policy", "the change kind (default infra)"),
    };
}

using L = QStringList;

QString w(const char *word)
{
    return QString::fromLatin1(word);
}

void addAdminCommands(std::vector<CommandDef> &t)
{
    t.push_back(def(L{w("init")}, "--admin LOGIN [--group G]",
                    "create a new store with its first admin",
                    "Creates the store at --db (or HOLDPOINT_DB, or the default location). The "
                    "file is 0600; with --group it is group-owned and 0660 so a few logins on one "
                    "machine can share it (its directory should be setgid and group-writable). The "
                    "admin manages users and agents and decides nothing.",
                    {opt("admin", "LOGIN", "the admin login"),
                     opt("group", "G", "share the store with group G")},
                    0, 0, cmdInit));
    t.push_back(
        def(L{w("demo")}, "--db PATH", "create a store full of realistic demo data",
            "Creates a demo store: registered agents, reviewers and leads, a dozen current changes "
            "and weeks of decided history. You are a lead in it, so every action can be tried. "
            "Refuses an existing store that is not a demo store; replaces an existing demo store.",
            {}, 0, 0, cmdDemo));
    t.push_back(def(L{w("db"), w("init")}, "[--admin LOGIN] --db postgresql://OWNER@HOST/DB",
                    "create a team store on PostgreSQL (database owner only)",
                    "Creates the schema, the roles holdpoint_agent, holdpoint_reviewer, "
                    "holdpoint_lead, holdpoint_auditor and holdpoint_admin, and the functions that "
                    "are the only write path; with --admin, LOGIN becomes the first admin. The "
                    "owner needs CREATEROLE. Every other command refuses to run as the owner.",
                    {opt("admin", "LOGIN", "the first admin login")}, 0, 0, cmdDbInit));
    t.push_back(def(L{w("db"), w("migrate")}, "--db postgresql://OWNER@HOST/DB",
                    "upgrade a team store's schema (database owner only)",
                    "Applies the numbered migrations above the store's schema_version in one "
                    "transaction.",
                    {}, 0, 0, cmdDbMigrate));
    t.push_back(def(L{w("users"), w("add")}, "LOGIN [--role R]...", "add a user (admin)",
                    "Roles: reviewer, lead (includes reviewer), auditor, admin (exclusive).",
                    {opt("role", "R", "a role to grant", true)}, 1, 1, cmdUsersAdd));
    t.push_back(def(L{w("users"), w("grant")}, "LOGIN ROLE",
                    "grant a role (admin; never to yourself)", "", {}, 2, 2, cmdUsersGrant));
    t.push_back(def(L{w("users"), w("revoke")}, "LOGIN ROLE", "revoke a role (admin)", "", {}, 2, 2,
                    cmdUsersRevoke));
    t.push_back(def(L{w("users"), w("list")}, "", "list users and their roles", "", {}, 0, 0,
                    cmdUsersList));
    t.push_back(def(L{w("agents"), w("add")}, "LOGIN --operator LOGIN",
                    "register an agent login (admin)",
                    "The operator must be a known user and is accountable for the agent's changes; "
                    "the operator's own approvals of them never count.",
                    {opt("operator", "LOGIN", "the accountable operator")}, 1, 1, cmdAgentsAdd));
    t.push_back(
        def(L{w("agents"), w("list")}, "", "list registered agents", "", {}, 0, 0, cmdAgentsList));
    t.push_back(def(L{w("agents"), w("remove")}, "LOGIN", "remove an agent registration (admin)",
                    "", {}, 1, 1, cmdAgentsRemove));
    t.push_back(def(L{w("whoami")}, "", "show your login, roles and agent registration", "", {}, 0,
                    0, cmdWhoami));
}

void addChangeCommands(std::vector<CommandDef> &t)
{
    t.push_back(
        def(L{w("submit")},
            "(--file F | --file - | --terraform-plan F | --terraform-planfile F | --patch F | "
            "--file-pair PATH:BEFORE:AFTER | --manifest F | --command-file F ...) [options]",
            "submit a proposal, or a revision with --revise",
            "Prints the change id, the revision, its content hash, the verdict and the risk "
            "assessment: score, class, both terms, flags, unmapped and impacted counts. The same "
            "--idempotency-key with other content exits 7.",
            submitOptions(), 0, 0, cmdSubmit));
    t.push_back(def(L{w("list")}, "[--status S]", "list changes",
                    "Statuses: pending, approved, rejected, expired, withdrawn, applied, failed.",
                    {opt("status", "S", "only changes with this status")}, 0, 0, cmdList));
    t.push_back(def(L{w("show")}, "ID",
                    "show a change: revisions, artifacts, decisions, risk assessment",
                    "The assessment of the latest revision lists every term of the score: each "
                    "changed resource's a·e·t, each impacted node's depth, paths and contribution, "
                    "and every flag with its evidence.",
                    {}, 1, 1, cmdShow));
    t.push_back(def(L{w("wait")}, "ID [--timeout 30m]", "wait for the verdict",
                    "Exits 0 approved, 3 rejected, 4 expired or withdrawn, 5 still pending when "
                    "the timeout ends. Durations: 30m, 1h30m, 45s, 2d.",
                    {opt("timeout", "DURATION", "how long to wait (default 30m)")}, 1, 1, cmdWait));
    t.push_back(def(
        L{w("check")}, "ID --artifact F... [--all] [--environment E] [--target T] [--consume]",
        "check that files are exactly what was approved",
        "Passes only if the change is approved and every file's SHA-256 equals the hash of an "
        "artifact of the approved revision; --all: and every artifact is matched; --environment / "
        "--target: and they equal the approved metadata. Exits 0 pass, 7 mismatch, 3 rejected, 4 "
        "expired or withdrawn, 5 pending, 6 not found. Every check is recorded in the audit trail. "
        "--consume: a passing check also consumes the approval, once per approval; a second "
        "--consume is refused with exit 8 (reason consumed) and audited.",
        {opt("artifact", "F", "a file to check", true),
         flag("all", "every artifact must be matched"),
         opt("environment", "E", "the environment you are about to apply to"),
         opt("target", "T", "the target you are about to apply to"),
         flag("consume", "use the approval: succeeds once per approval")},
        1, -1, cmdCheck));
    t.push_back(def(L{w("report")}, "ID --outcome applied|failed [--reason R]",
                    "report how applying an approved change went (the executor)",
                    "Once per change, only for an approved change, by its agent, its operator or "
                    "a lead; audited. Exits 8 when refused, 3 rejected, 4 expired or withdrawn.",
                    {opt("outcome", "applied|failed", "what happened"),
                     opt("reason", "R", "what went wrong, or a note")},
                    1, 1, cmdReport));
}

void addDecisionCommands(std::vector<CommandDef> &t)
{
    t.push_back(def(L{w("decide")},
                    "ID approve|reject|escalate|comment|withdraw|override [--reason R] | "
                    "--batch FILE",
                    "decide on the latest revision of a change",
                    "reject, escalate and override need --reason. withdraw takes back your own "
                    "reject; override is a lead lifting a reject. --batch FILE ('-': stdin) "
                    "decides one line \"ID ACTION [reason]\" after the other over one store "
                    "connection, each its own transaction (retried while another writer holds "
                    "the store); a malformed line decides nothing (exit 2), a refused decision "
                    "does not stop the rest, and the exit is that of the first refusal.",
                    {opt("reason", "R", "why"),
                     opt("batch", "FILE", "decisions, one \"ID ACTION [reason]\" per line")},
                    0, 2, cmdDecide));
    t.push_back(def(L{w("withdraw")}, "ID [--reason R]",
                    "withdraw a change you submitted (the agent)", "", {opt("reason", "R", "why")},
                    1, 1, cmdWithdraw));
    t.push_back(def(
        L{w("topology"), w("import")}, "PATH...", "import a Backstage catalog (lead)",
        "Reads every PATH (a file, or a folder whose *.yaml and *.yml files are read) as one "
        "catalog: entities are validated as Backstage does, and an invalid one fails the import "
        "with file:line:column (exit 2) and nothing stored. Stores a new topology version with "
        "its hash and gives every pending change a new assessment; the same hash as the version "
        "in force stores nothing (\"unchanged\"). Needs the lead role (exit 8); audited.",
        {}, 1, -1, cmdTopologyImport));
    t.push_back(def(L{w("topology"), w("show")}, "",
                    "show the topology in force: nodes, annotations, edges",
                    "Version, hash, who imported it and when, every node with its kind, owner, "
                    "tier, environment and holdpoint.dev annotations, and every edge from a "
                    "dependent to its dependency. --json: schema holdpoint.topology/1.",
                    {}, 0, 0, cmdTopologyShow));
    t.push_back(
        def(L{w("audit"), w("verify")}, "[--against F --pubkey K.pub | --file EXPORT.jsonl]",
            "verify the audit trail",
            "Walks the hash chain and cross-checks it; exits 9 naming each bad seq and its class. "
            "With a signed checkpoint it also detects a truncated, rolled-back or wholly "
            "rewritten chain, which no store can show on its own. --file re-verifies a JSON Lines "
            "export without a store: every hash, the links and order (and, for a full export, that "
            "no seq is missing); a filtered export's gaps are reported as gaps.",
            {opt("against", "F", "a checkpoint written by `audit checkpoint`"),
             opt("pubkey", "K.pub", "the public key that signed it"),
             opt("file", "F", "a JSON Lines file written by `audit export` (needs no store)")},
            0, 0, cmdAuditVerify));
    t.push_back(def(L{w("audit"), w("keygen")}, "--out K", "create an Ed25519 checkpoint key (needs no store)",
                    "Writes K (private, mode 0600, never overwritten) and K.pub. Keep K where whoever "
                    "can write the store cannot read it.",
                    {opt("out", "K", "the private key file to create")}, 0, 0, cmdAuditKeygen));
    t.push_back(def(L{w("audit"), w("checkpoint")}, "--key K --out F",
                    "sign the head of the audit chain (auditors and leads)",
                    "Records a checkpoint entry and writes F: the store, the head seq and hash, the "
                    "time, signed with K. Keep F outside the store.",
                    {opt("key", "K", "the private key from `audit keygen`"),
                     opt("out", "F", "the checkpoint file to create")},
                    0, 0, cmdAuditCheckpoint));
    t.push_back(def(L{w("audit"), w("report")}, "ID --out F.pdf [--force]",
                    "write a change's evidence report as a PDF (auditors and leads)",
                    "The change, its intent, plan summary and diff statistics, the assessment and "
                    "its factors, every decision with whether it counted and why, checks and "
                    "reports, and the chain position and hash of every entry about it. Sensitive "
                    "plan values are masked. Audited as audit.report with the PDF's SHA-256. "
                    "Rendered by holdpoint-report, which must sit next to holdpointctl.",
                    {opt("out", "F.pdf", "the PDF to write"),
                     flag("force", "replace F if it exists")},
                    1, 1, cmdAuditReport));
    t.push_back(def(
        L{w("audit"), w("export")}, "--format jsonl|csv --out F [filters]",
        "export the audit trail (auditors and leads)",
        "Writes the entries the filters select: JSON Lines with hashes and the exact canonical entry "
        "(re-verifiable with `audit verify --file`) or RFC 4180 CSV (formula-safe). Text filters "
        "are case-insensitive substrings; times are ISO 8601 and inclusive. Audited as audit.export.",
        {opt("format", "jsonl|csv", "the file format"), opt("out", "F", "the file to write"),
         opt("change", "ID", "entries of this change"), opt("principal", "P", "entries by this principal"),
         opt("action", "A", "entries of this action, e.g. review.decide"),
         opt("outcome", "ok|denied", "only allowed or only denied attempts"),
         opt("from", "T", "entries at or after T"), opt("to", "T", "entries at or before T")},
        0, 0, cmdAuditExport));
    t.push_back(
        def(L{w("diff")}, "A B", "unified diff of two files (needs no store)",
            "Prints what `git diff --no-index A B` prints; exits 0 whether or not they differ.", {},
            2, 2, cmdDiff));
}

// The policy engine's commands (DESIGN §5, §8).
void addPolicyCommands(std::vector<CommandDef> &t)
{
    t.push_back(def(L{w("policy"), w("show")}, "[--version N]",
                    "show the policy in force (or version N)",
                    "Prints the document as adopted, its version, its hash, who adopted it and when, "
                    "and the policy change that adopted it. --json: schema holdpoint.policy.show/1.",
                    {opt("version", "N", "an earlier version")}, 0, 0, cmdPolicyShow));
    t.push_back(def(L{w("policy"), w("propose")}, "FILE [--title T] [--reason R]",
                    "propose a new policy (a change of kind policy)",
                    "Validates FILE (invalid: exit 2 with file:line:column, nothing stored) and submits "
                    "a change of kind policy whose artifact is the file pair policy.yaml (before: the "
                    "policy in force, after: FILE). It needs two counted approvals from leads, neither "
                    "the proposer, whatever the policy says; on approval the new version is adopted and "
                    "every pending change is reassessed and re-evaluated, audited (policy.adopt).",
                    {opt("title", "T", "the change's title"), opt("reason", "R", "why (the change's intent)")},
                    1, 1, cmdPolicyPropose));
    t.push_back(def(L{w("tick")}, "", "write the due timer events now (safe from cron)",
                    "SLA breaches (escalated by the system actor when on_sla_breach: escalate), expiry of "
                    "pending changes and lapse of approvals past approval_ttl: each written exactly once, "
                    "audited, whoever notices first. Every writing command does this first.",
                    {}, 0, 0, cmdTick));
    t.push_back(def(L{w("watch")}, "--exec CMD [--interval 1s] [--once] [--since SEQ]",
                    "run CMD for every new, escalated, breached or decided change",
                    "CMD is split into words (only double quotes group; no shell: use `sh -c \"...\"` for pipes) and "
                    "run once per event with one JSON object on stdin: {\"schema\": \"holdpoint.event/1\", "
                    "\"event\": \"new|escalated|breached|decided\", \"id\", \"title\", \"status\", \"seq\", "
                    "\"verdict\", ...}. Follows the audit trail from its head (or after --since SEQ). watch "
                    "ticks every round, so breaches are written and paged even when nothing else writes.",
                    {opt("exec", "CMD", "the command to run per event"),
                     opt("interval", "DURATION", "time between rounds (default 1s)"),
                     flag("once", "one round, then exit"), opt("since", "SEQ", "start after this audit seq")},
                    0, 0, cmdWatch));
}

std::vector<CommandDef> buildTable()
{
    std::vector<CommandDef> t;
    addAdminCommands(t);
    addChangeCommands(t);
    addDecisionCommands(t);
    addPolicyCommands(t);
    return t;
}

} // namespace

const std::vector<CommandDef> &commandTable()
{
    static const std::vector<CommandDef> table = buildTable();
    return table;
}

} // namespace hp::cli
