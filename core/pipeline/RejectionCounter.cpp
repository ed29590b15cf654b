#include "pipeline/RejectionCounter.h"

#include "base/Logging.h"

#include <numeric>

namespace greenpulse::core {

namespace {
constexpr qsizetype kMaxLoggedTopic = 200;
}

RejectionCounter::RejectionCounter(qint64 warnIntervalMs)
{
    m_warnings.fill(LogThrottle(warnIntervalMs));
}

void RejectionCounter::add(RejectReason reason, QByteArrayView topic, const QString &detail)
{
    const int index = static_cast<int>(reason);
    if (index < 0 || index >= kRejectReasonCount)
        return;
    ++m_counts[index];

    LogThrottle &throttle = m_warnings[index];
    if (!throttle.allow() || !lcProtocol().isWarningEnabled()) {
        return;
    }

    QString topicText = QString::fromUtf8(topic.first(qMin(topic.size(), kMaxLoggedTopic)));
    if (topic.size() > kMaxLoggedTopic)
        topicText += QStringLiteral("...");
    if (throttle.suppressed() > 0) {
        qCWarning(lcProtocol).noquote().nospace()
            << "rejected message on " << topicText << ": " << rejectReasonName(reason) << ": "
            << detail << " (" << throttle.suppressed() << " more " << rejectReasonName(reason)
            << " suppressed in the last " << throttle.coveredMs() / 1000.0 << " s)";
    } else {
        qCWarning(lcProtocol).noquote().nospace() << "rejected message on " << topicText << ": "
                                                  << rejectReasonName(reason) << ": " << detail;
    }
}

quint64 RejectionCounter::totalRejected() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), quint64{0});
}

QJsonObject RejectionCounter::toJson() const
{
    QJsonObject byReason;
    for (int i = 0; i < kRejectReasonCount; ++i) {
        if (m_counts[i] > 0) {
            byReason.insert(QLatin1String(rejectReasonName(static_cast<RejectReason>(i))),
                            static_cast<qint64>(m_counts[i]));
        }
    }
    QJsonObject result;
    result.insert(QLatin1String("accepted"), static_cast<qint64>(m_accepted));
    result.insert(QLatin1String("rejected"), static_cast<qint64>(totalRejected()));
    result.insert(QLatin1String("by_reason"), byReason);
    return result;
}

} // namespace greenpulse::core
