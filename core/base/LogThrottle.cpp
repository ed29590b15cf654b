#include "base/LogThrottle.h"

#include <QElapsedTimer>

namespace greenpulse::core {

qint64 LogThrottle::steadyNowMs()
{
    QElapsedTimer now; // its reference is the monotonic clock, the same for every instance
    now.start();
    return now.msecsSinceReference();
}

bool LogThrottle::allow()
{
    return allow(QString(), steadyNowMs());
}

bool LogThrottle::allow(qint64 nowMs)
{
    return allow(QString(), nowMs);
}

bool LogThrottle::allow(const QString &key)
{
    return allow(key, steadyNowMs());
}

bool LogThrottle::allow(const QString &key, qint64 nowMs)
{
    const bool sameKey = m_any && key == m_key;
    if (sameKey && nowMs - m_lastMs < m_intervalMs) {
        ++m_refused;
        return false;
    }
    m_coveredMs = sameKey ? nowMs - m_lastMs : 0;
    m_suppressed = sameKey ? m_refused : 0;
    m_refused = 0;
    m_lastMs = nowMs;
    m_key = key;
    m_any = true;
    return true;
}

void LogThrottle::restart()
{
    restart(steadyNowMs());
}

void LogThrottle::restart(qint64 nowMs)
{
    m_any = true;
    m_key.clear();
    m_lastMs = nowMs;
    m_refused = 0;
}

bool LogThrottle::fail()
{
    ++m_failures;
    if (m_failing) {
        ++m_failuresInARow;
        return false;
    }
    m_failing = true;
    m_failuresInARow = 1;
    return true;
}

bool LogThrottle::recover()
{
    if (!m_failing) {
        return false;
    }
    m_failing = false; // failuresInARow() keeps the count for the recovery line
    return true;
}

} // namespace greenpulse::core
