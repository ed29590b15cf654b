#pragma once

// Reconciles the jobs the processor's saved state has running with the retained job state on the
// broker (greenpulse/state/jobs/<job_id>, see docs/protocol.md), once per process, when the
// retained messages have arrived after the first connection (a settle time).
//
// Rule (docs/accounting.md, "What survives a crash or a full disk"): a control job that the
// ledger still has running, that is known to keep retained state (a retained start of it was
// seen, by this process or one before it) and whose retained state is absent now, ended while
// the processor was away and its end was lost. It is ended at the last instant the ledger knows
// for it: the latest sample the restored ledger holds from its hosts (from every host for a job
// that runs on every host), never before its start. Jobs of publishers that send control
// messages only (no retained state) are never ended this way.

#include "accounting/Ledger.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QSet>

namespace greenpulse::core {

class JobReconciler
{
public:
    // Jobs known to keep retained state. track() returns true when the job is new to the set.
    bool track(const QString &jobId);
    void untrack(const QString &jobId) { m_tracked.remove(jobId); }
    // The tracked jobs still running, for the state file; restoreTracked() reads them back.
    QJsonArray trackedToJson(const Ledger &ledger) const;
    void restoreTracked(const QJsonArray &jobs);

    // After the state file and the journal are loaded: the end instant of each running job.
    void captureLastKnown(const Ledger &ledger);
    // A retained job state seen before finish(): `present` false for an empty (cleared) payload.
    void noteRetained(const QString &jobId, bool present) { m_retained[jobId] = present; }
    bool isSettling() const { return !m_done; }
    void skip() { m_done = true; } // no reconciliation in this process (no subscription)
    // The end messages to apply (once; later calls return nothing).
    QList<ControlMessage> finish(const Ledger &ledger);

private:
    QSet<QString> m_tracked;
    QHash<QString, TimeNs> m_lastKnown;
    QHash<QString, bool> m_retained;
    bool m_done = false;
};

} // namespace greenpulse::core
