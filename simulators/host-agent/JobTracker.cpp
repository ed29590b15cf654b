#include "JobTracker.h"

#include "base/Logging.h"

#include <algorithm>

namespace greenpulse::sim {

namespace {
constexpr size_t kMaxRememberedEnds = 4096;
}

JobTracker::JobTracker(QString host) : m_host(std::move(host)) {}

bool JobTracker::runsHere(const QString &jobHost) const
{
    return jobHost.isEmpty() || jobHost.compare(m_host, Qt::CaseInsensitive) == 0;
}

bool JobTracker::handleMessage(QByteArrayView topic, QByteArrayView payload, core::TimeNs receiptNs)
{
    const core::TopicKind kind = core::classifyTopic(topic);
    if (kind != core::TopicKind::Control && kind != core::TopicKind::JobState) {
        return false;
    }
    if (kind == core::TopicKind::JobState) {
        const QString jobId =
            QString::fromUtf8(topic.sliced(qsizetype(qstrlen(core::topics::kJobStatePrefix))));
        if (payload.isEmpty()) {
            return handleStateCleared(jobId);
        }
        // The retained payload is a copy of the control start; decode it as one.
        const core::Decoded decoded =
            core::decode(QByteArrayView(core::topics::kControl), payload, receiptNs);
        const auto *message = std::get_if<core::ControlMessage>(&decoded);
        if (!message || message->jobId != jobId) {
            qCDebug(lcSim) << "ignoring job state on" << topic.toByteArray();
            return false;
        }
        return handleControl(*message);
    }
    const core::Decoded decoded = core::decode(topic, payload, receiptNs);
    if (const auto *message = std::get_if<core::ControlMessage>(&decoded)) {
        return handleControl(*message);
    }
    if (const auto *rejection = std::get_if<core::Rejection>(&decoded)) {
        qCDebug(lcSim) << "ignoring control message:" << rejection->detail;
    }
    return false;
}

bool JobTracker::handleControl(const core::ControlMessage &message)
{
    if (message.jobId.isEmpty()) {
        return false;
    }
    if (message.status == core::JobStatus::End) {
        rememberEnded(message.jobId);
        return m_running.remove(message.jobId) > 0;
    }
    if (!runsHere(message.host) || m_ended.contains(message.jobId)) {
        return false;
    }
    if (m_running.contains(message.jobId)) {
        return false; // the control start and its retained copy: one job
    }
    m_running.insert(message.jobId, Running{message.timestampNs, ++m_arrivals});
    return true;
}

bool JobTracker::handleStateCleared(const QString &jobId)
{
    rememberEnded(jobId);
    return m_running.remove(jobId) > 0;
}

void JobTracker::rememberEnded(const QString &jobId)
{
    if (m_ended.contains(jobId)) {
        return;
    }
    m_ended.insert(jobId);
    m_endedOrder.push_back(jobId);
    while (m_endedOrder.size() > kMaxRememberedEnds) {
        m_ended.remove(m_endedOrder.front());
        m_endedOrder.pop_front();
    }
}

QStringList JobTracker::runningJobIds() const
{
    QStringList ids = m_running.keys();
    std::sort(ids.begin(), ids.end(), [this](const QString &a, const QString &b) {
        const Running ra = m_running.value(a);
        const Running rb = m_running.value(b);
        if (ra.startedNs != rb.startedNs) {
            return ra.startedNs < rb.startedNs;
        }
        return ra.arrival < rb.arrival;
    });
    return ids;
}

QString JobTracker::currentJobId() const
{
    const QStringList ids = runningJobIds();
    return ids.isEmpty() ? QString() : ids.last();
}

} // namespace greenpulse::sim
