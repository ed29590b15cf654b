#pragma once

#include "base/LogThrottle.h"
#include "protocol/Protocol.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <array>

namespace greenpulse::core {

// Counts rejected messages by reason and logs them as rate-limited warnings that name the topic:
// at most one warning per reason per `interval`, followed by how many were suppressed.
// Not thread-safe: owned by the thread that decodes.
class RejectionCounter
{
public:
    explicit RejectionCounter(qint64 warnIntervalMs = 5000);

    void add(RejectReason reason, QByteArrayView topic, const QString &detail);
    void countAccepted() { ++m_accepted; }

    quint64 accepted() const { return m_accepted; }
    quint64 count(RejectReason reason) const { return m_counts[static_cast<int>(reason)]; }
    quint64 totalRejected() const;

    // {"accepted": N, "rejected": N, "by_reason": {"not_json": N, ...}} (zero reasons omitted)
    QJsonObject toJson() const;

private:
    quint64 m_accepted = 0;
    std::array<quint64, kRejectReasonCount> m_counts{};
    std::array<LogThrottle, kRejectReasonCount> m_warnings; // one per reason
};

} // namespace greenpulse::core
