#include "base/LogThrottle.h"

#include <QElapsedTimer>

namespace greenpulse::core {

bool LogThrottle::allow()
{
    QElapsedTimer now; // its reference is the monotonic clock, the same for every instance
    now.start();
    return allow(now.msecsSinceReference());
}

bool LogThrottle::allow(qint64 nowMs)
{
    if (m_any && nowMs - m_lastMs < m_intervalMs) {
        ++m_refused;
        return false;
    }
    m_coveredMs = m_any ? nowMs - m_lastMs : 0;
    m_suppressed = m_refused;
    m_refused = 0;
    m_lastMs = nowMs;
    m_any = true;
    return true;
}

} // namespace greenpulse::core
