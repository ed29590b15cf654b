#include "pipeline/RejectionCounter.h"

#include "base/Logging.h"

#include <numeric>

namespace greenpulse::core {

namespace {
constexpr qsizetype kMaxLoggedTopic = 200;
}

RejectionCounter::RejectionCounter(qint64 warnIntervalMs) : m_warnIntervalMs(warnIntervalMs)
{
    m_lastWarnMs.fill(-1); // never warned
    m_clock.start();
}

void RejectionCounter::add(RejectReason reason, QByteArrayView topic, const QString &detail)
{
    const int index = static_cast<int>(reason);
    if (index < 0 || index >= kRejectReasonCount)
        return;
    ++m_counts[index];

    const qint64 now = m_clock.elapsed();
    qint64 &last = m_lastWarnMs[index];
    if (last >= 0 && now - last < m_warnIntervalMs) {
        ++m_suppressed[index];
        return;
    }
    if (!lcProtocol().isWarningEnabled()) {
        last = now;
        m_suppressed[index] = 0;
        return;
    }

    QString topicText = QString::fromUtf8(topic.first(qMin(topic.size(), kMaxLoggedTopic)));
    if (topic.size() > kMaxLoggedTopic)
        topicText += QStringLiteral("...");
    if (m_suppressed[index] > 0) {
        qCWarning(lcProtocol).noquote().nospace()
            << "rejected message on " << topicText << ": " << rejectReasonName(reason) << ": "
            << detail << " (" << m_suppressed[index] << " more " << rejectReasonName(reason)
            << " suppressed in the last " << (now - last) / 1000.0 << " s)";
    } else {
        qCWarning(lcProtocol).noquote().nospace() << "rejected message on " << topicText << ": "
                                                  << rejectReasonName(reason) << ": " << detail;
    }
    last = now;
    m_suppressed[index] = 0;
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
