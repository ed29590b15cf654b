#include "mqtt/TakeoverDetector.h"

#include <algorithm>

namespace greenpulse::core {

TakeoverDetector::TakeoverDetector(qint64 reconnectMaxMs)
    : m_windowMs(std::max(kMinShortMs, reconnectMaxMs * 3 / 2))
{}

void TakeoverDetector::connected(qint64 nowMs)
{
    m_connectedAtMs = nowMs;
}

bool TakeoverDetector::lost(qint64 nowMs, int reasonCode)
{
    if (m_connectedAtMs < 0) {
        attemptFailed();
        return false;
    }
    const bool isShort = nowMs - m_connectedAtMs < m_windowMs;
    m_connectedAtMs = -1;
    m_shortInARow = isShort ? m_shortInARow + 1 : 0;
    m_suspected = reasonCode == kSessionTakenOver || m_shortInARow >= kShortInARow;
    if (m_suspected) {
        ++m_count;
    }
    return m_suspected;
}

void TakeoverDetector::attemptFailed()
{
    m_shortInARow = 0;
    m_suspected = false;
}

} // namespace greenpulse::core
