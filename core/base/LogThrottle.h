#pragma once

// When to log a line that could otherwise come once per event; the one throttle for the whole
// program. It only decides and counts: the caller logs, with its own text. Two ways to use it:
//
// - At most once every N milliseconds (a job start under thousands of jobs, a failing write per
//   batch). allow() is true for the first call and then for the first call at least intervalMs
//   after the last true one; the calls in between are counted, so the line that is logged can say
//   how many were held back and how long it covers. allow(key) does the same per message: a
//   different key than the last logged one is logged at once.
// - Once per change of state (a file that cannot be written): fail() is true only for the
//   failure that starts a failing period, recover() only for the success that ends one, and the
//   counters say how many failures there were, for the recovery line and the counters JSON.
//
// An instance is used in one way only.

#include <QString>
#include <QtGlobal>

namespace greenpulse::core {

class LogThrottle
{
public:
    // intervalMs: for allow(); an instance used only for fail()/recover() passes nothing.
    explicit LogThrottle(qint64 intervalMs = 0) : m_intervalMs(intervalMs) {}

    // --- at most once per interval
    bool allow();             // on the steady clock
    bool allow(qint64 nowMs); // any monotonic milliseconds (tests)
    // Per message: true when `key` differs from the last allowed one, or the interval passed
    // since then. suppressed()/coveredMs() then count the same key only (0 after a new key).
    bool allow(const QString &key);
    bool allow(const QString &key, qint64 nowMs);
    // A line that covers this one was logged anyway (e.g. a change of state): the interval starts
    // again now, and what was held back is forgotten.
    void restart();
    void restart(qint64 nowMs);
    // The calls refused between the previous allowed call and the last one, and the milliseconds
    // between those two (0 after the first).
    quint64 suppressed() const { return m_suppressed; }
    qint64 coveredMs() const { return m_coveredMs; }
    qint64 intervalMs() const { return m_intervalMs; }

    // --- once per change of state
    // A failure: counted; true when it starts a failing period (log the warning).
    bool fail();
    // A success: true when it ends a failing period (log the recovery, with failuresInARow()).
    bool recover();
    bool isFailing() const { return m_failing; }
    // The failures of the current failing period, or of the one recover() just ended.
    quint64 failuresInARow() const { return m_failuresInARow; }
    quint64 failures() const { return m_failures; } // all failures since construction

private:
    static qint64 steadyNowMs();

    qint64 m_intervalMs;
    bool m_any = false;
    QString m_key;
    qint64 m_lastMs = 0;
    qint64 m_coveredMs = 0;
    quint64 m_suppressed = 0;
    quint64 m_refused = 0;

    bool m_failing = false;
    quint64 m_failuresInARow = 0;
    quint64 m_failures = 0;
};

} // namespace greenpulse::core
