#pragma once

// "Log at most once every N seconds", for a line that could otherwise come once per event (a job
// start under thousands of jobs, a failing write per line). allow() is true for the first call and
// then for the first call at least intervalMs after the last true one; the calls in between are
// counted, so the line that is logged can say how many were held back and how long it covers.

#include <QtGlobal>

namespace greenpulse::core {

class LogThrottle
{
public:
    explicit LogThrottle(qint64 intervalMs) : m_intervalMs(intervalMs) {}

    bool allow();             // on the steady clock
    bool allow(qint64 nowMs); // any monotonic milliseconds (tests)
    // The calls refused between the previous allowed call and the last one, and the milliseconds
    // between those two (0 after the first).
    quint64 suppressed() const { return m_suppressed; }
    qint64 coveredMs() const { return m_coveredMs; }
    qint64 intervalMs() const { return m_intervalMs; }

private:
    qint64 m_intervalMs;
    bool m_any = false;
    qint64 m_lastMs = 0;
    qint64 m_coveredMs = 0;
    quint64 m_suppressed = 0;
    quint64 m_refused = 0;
};

} // namespace greenpulse::core
