#include "pipeline/JobReconciler.h"

#include "protocol/JobId.h"

#include <algorithm>

namespace greenpulse::core {

bool JobReconciler::track(const QString &jobId)
{
    if (m_tracked.contains(jobId)) {
        return false;
    }
    m_tracked.insert(jobId);
    return true;
}

QJsonArray JobReconciler::trackedToJson(const Ledger &ledger) const
{
    QStringList running;
    for (const QString &id : m_tracked) {
        const std::optional<JobSummary> job = ledger.job(id);
        if (job && job->running && id != QLatin1String(jobid::kIdle)) {
            running << id;
        }
    }
    running.sort();
    return QJsonArray::fromStringList(running);
}

void JobReconciler::restoreTracked(const QJsonArray &jobs)
{
    for (const QJsonValue &v : jobs) {
        if (!v.toString().isEmpty()) {
            m_tracked.insert(v.toString());
        }
    }
}

void JobReconciler::captureLastKnown(const Ledger &ledger)
{
    QHash<QString, TimeNs> hostSeen;
    TimeNs anyHost = 0;
    for (const HostSummary &h : ledger.hosts()) {
        hostSeen.insert(h.host, h.lastSeenNs);
        anyHost = std::max(anyHost, h.lastSeenNs);
    }
    for (const JobSummary &job : ledger.jobs()) {
        if (!job.running || !job.fromControl || job.jobId == QLatin1String(jobid::kIdle)) {
            continue;
        }
        TimeNs last = 0;
        if (job.targetHost.isEmpty()) {
            last = anyHost;
        } else {
            last = hostSeen.value(job.targetHost, 0);
        }
        for (const QString &h : job.hosts) {
            last = std::max(last, hostSeen.value(h, 0));
        }
        m_lastKnown.insert(job.jobId, std::max(last, job.startNs));
    }
}

QList<ControlMessage> JobReconciler::finish(const Ledger &ledger)
{
    QList<ControlMessage> ends;
    if (m_done) {
        return ends;
    }
    m_done = true;
    for (const JobSummary &job : ledger.jobs()) {
        const auto last = m_lastKnown.constFind(job.jobId);
        if (!job.running || last == m_lastKnown.cend() || !m_tracked.contains(job.jobId) ||
            m_retained.value(job.jobId, false)) {
            continue;
        }
        ControlMessage end;
        end.status = JobStatus::End;
        end.jobId = job.jobId;
        end.host = job.targetHosts.isEmpty() ? job.targetHost : QString(); // every host it ran on
        end.timestampNs = last.value();
        ends.append(end);
    }
    m_lastKnown.clear();
    m_retained.clear();
    return ends;
}

} // namespace greenpulse::core
