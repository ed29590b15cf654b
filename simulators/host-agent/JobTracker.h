#pragma once

#include "protocol/Protocol.h"

#include <QByteArrayView>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <deque>

namespace greenpulse::sim {

// Which jobs run on one host, learnt from greenpulse/control and from the retained
// greenpulse/state/jobs/<job_id> topics. Pure: no I/O, no clock.
//
// - A start counts when it names this host (case-insensitively) or names no host.
// - An end removes the job, whatever host it names; so does an empty retained state payload.
// - A start for a job already seen ending is ignored (a stale retained copy arriving late).
// - When several jobs run, the current one is the latest started (by the start's timestamp, then
//   by arrival).
class JobTracker
{
public:
    explicit JobTracker(QString host);

    // Feeds one MQTT message. Other topics and undecodable payloads are ignored. Returns true if
    // the set of running jobs changed.
    bool handleMessage(QByteArrayView topic, QByteArrayView payload, core::TimeNs receiptNs);
    bool handleControl(const core::ControlMessage &message);
    bool handleStateCleared(const QString &jobId);

    bool isBusy() const { return !m_running.isEmpty(); }
    QString currentJobId() const;      // empty when idle
    QStringList runningJobIds() const; // oldest first
    bool runsHere(const QString &jobHost) const;
    const QString &host() const { return m_host; }

private:
    struct Running
    {
        core::TimeNs startedNs = 0;
        quint64 arrival = 0;
    };
    void rememberEnded(const QString &jobId);

    QString m_host;
    QHash<QString, Running> m_running;
    QSet<QString> m_ended;
    std::deque<QString> m_endedOrder; // bounds m_ended
    quint64 m_arrivals = 0;
};

} // namespace greenpulse::sim
