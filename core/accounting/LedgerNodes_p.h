#pragma once

// Jobs on several hosts (docs/accounting.md, "Jobs on several hosts"): a multi-node Slurm job is
// one job whose start arrives once per node, each naming its host, and whose end arrives once per
// node too. The first start makes an ordinary job on that host; a start naming another host while
// it runs makes it a job on several hosts, each with its own spans (LedgerState::Job::nodes). An
// end naming one of its hosts ends it there only; the job ends when it has ended on every host (or
// on an end naming no host, or a host it does not run on). Private to accounting/.

#include "accounting/LedgerState_p.h"

#include <QJsonObject>
#include <optional>

namespace greenpulse::core::ledgernodes {

// Whether this start belongs to the job's hosts (startNode) rather than the one-host rules.
bool isNodeStart(const LedgerState::Job &job, const QString &host);
// Starts the job on `host` at `t` (once; a repeated start changes nothing).
void startNode(LedgerState &state, LedgerState::Job &job, const QString &host, TimeNs t);
// Ends the job on `host` (every host when empty or not one of its hosts) at `t`. Returns the end of
// its envelope once it ended on every host; nothing while it still runs on some.
std::optional<TimeNs> endNode(LedgerState &state, LedgerState::Job &job, const QString &host,
                              TimeNs t);
// Takes the job off the candidate lists of its hosts (Ledger::forgetJob).
void forget(LedgerState &state, LedgerState::Job &job);
// Its hosts, sorted; empty for a job on one or every host.
QStringList hostsOf(const LedgerState::Job &job);
// Keeps the job details named by a control message (user, name, gpus, exit state).
void takeDetails(LedgerState::Job &job, const ControlMessage &message);

// The state file's "nodes", "user", "name", "gpus" and "exit_state" of a job (LedgerStore.cpp).
void save(const LedgerState::Job &job, QJsonObject *o);
void load(const QJsonObject &o, LedgerState &state, LedgerState::Job &job);

} // namespace greenpulse::core::ledgernodes
